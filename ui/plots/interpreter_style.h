#pragma once
// Each interpreter of an experiment's interpreter axis is a family of its own on every chart:
// its place in the list (0, 1, …) keeps the model's hue, darker or lighter, and gives the
// markers a shape of their own, so "py:threads on 3.11" and "py:threads on 3.13t" never read
// as one curve — also in grey-scale print.

#include <qcustomplot.h>

#include <QColor>

namespace coreduel::ui {

struct InterpreterStyle {
    QColor color;
    QCPScatterStyle::ScatterShape shape = QCPScatterStyle::ssCircle;
};

inline InterpreterStyle interpreterStyle(const QColor& modelColor, unsigned family) {
    static constexpr QCPScatterStyle::ScatterShape kShapes[] = {
        QCPScatterStyle::ssCircle, QCPScatterStyle::ssSquare, QCPScatterStyle::ssTriangle,
        QCPScatterStyle::ssDiamond, QCPScatterStyle::ssTriangleInverted};
    constexpr unsigned kCount = sizeof(kShapes) / sizeof(kShapes[0]);
    InterpreterStyle s;
    s.shape = kShapes[family % kCount];
    switch (family % 3) {
        case 0:
            s.color = modelColor;
            break;
        case 1:
            s.color = modelColor.darker(150);
            break;
        default:
            s.color = modelColor.lighter(140);
            break;
    }
    return s;
}

}  // namespace coreduel::ui
