// The Help menu's dialogs.
#include "ui/window/help_dialogs.h"

#include <qcustomplot.h>

#include <QAction>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>

namespace coreduel::ui {

void showShortcutsDialog(QMenuBar& menus, QWidget* parent) {
    QStringList rows;
    for (QAction* menu : menus.actions()) {
        if (menu->menu() == nullptr) continue;
        for (QAction* a : menu->menu()->actions()) {
            if (a->shortcut().isEmpty()) continue;
            rows << QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                        .arg(a->shortcut().toString(QKeySequence::NativeText).toHtmlEscaped(),
                             a->text().remove(QLatin1Char('&')).toHtmlEscaped());
        }
    }
    QMessageBox::information(
        parent, QObject::tr("Keyboard shortcuts"),
        QStringLiteral("<table cellspacing=6>%1</table>").arg(rows.join(QString())));
}

void showAboutDialog(const std::string& compiler, QWidget* parent) {
    QMessageBox::about(
        parent, QObject::tr("About CoreDuel"),
        QObject::tr(
            "<h3>CoreDuel %1</h3><p>The same workload as sequential code, threads, threads "
            "behind a simulated GIL, and worker processes — measured, verified and compared.</p>"
            "<p>Qt %2 (built with %3)<br>QCustomPlot %4<br>Compiler: %5</p>")
            .arg(QStringLiteral(COREDUEL_VERSION), QString::fromLatin1(qVersion()),
                 QStringLiteral(QT_VERSION_STR), QStringLiteral(QCUSTOMPLOT_VERSION_STR),
                 QString::fromStdString(compiler)));
}

}  // namespace coreduel::ui
