#pragma once
// Presentation mode for a projector: one lesson, one chart, large type, three steps —
// predict (the question and your guesses), run (the lesson's chart, live), explain (what was
// measured, against what you predicted). Keys: Space, →, PageDown next; ←, PageUp back;
// Esc leaves. (Presenter clickers send PageUp/PageDown.)

#include <QPointer>
#include <QTimer>
#include <QWidget>
#include <vector>

#include "core/lessons/lesson.h"

class QDoubleSpinBox;
class QLabel;
class QFormLayout;

namespace coreduel::ui {

class Chart;
class LessonsPanel;

class PresentationWindow : public QWidget {
    Q_OBJECT
public:
    enum class Step { Predict, Run, Explain };

    PresentationWindow(LessonsPanel& lessons, Chart& chart, QWidget* parent = nullptr);

    [[nodiscard]] Step step() const { return m_step; }
    void next();
    void back();
    /// The lesson's run ended (with the panel's outcome text already filled).
    void runFinished();

signals:
    /// Entering the Run step: the main window starts the lesson.
    void runRequested();

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void showStep();
    void refreshChart();
    /// Type sized from the window (designed for 1920×1080, larger on a larger projector,
    /// smaller on a laptop), then the words shrunk until all of them fit their column: the
    /// explanation is never cut at the bottom of the screen.
    void fitText();

    LessonsPanel& m_lessons;
    QPointer<Chart> m_chart;
    Step m_step = Step::Predict;
    QLabel* m_title = nullptr;
    QLabel* m_text = nullptr;
    QWidget* m_predictionBox = nullptr;
    QFormLayout* m_predictionForm = nullptr;
    std::vector<QLabel*> m_predictionLabels;
    std::vector<QDoubleSpinBox*> m_predictionEdits;
    QLabel* m_chartView = nullptr;
    QLabel* m_hint = nullptr;
    QTimer m_refresh;
};

}  // namespace coreduel::ui
