#pragma once
// The window's Save and Export actions: each asks for a file (in the folder last used for its
// kind, DialogMemory), writes it, and says what was written or why not. The writing itself is
// elsewhere (exporter, chart_export, SessionDocument, WindowPrinter): this is the dialogs.

#include <QObject>
#include <QString>
#include <functional>

#include "ui/export/chart_export.h"  // ExportAllResult
#include "ui/export/exporter.h"      // ImageOptions

class QWidget;

namespace coreduel::ui {

class Chart;
class DialogMemory;
class ExperimentPanel;
class RunViews;
class SessionDocument;

class ExportActions : public QObject {
    Q_OBJECT
public:
    struct Parts {  // all outlive the actions
        RunViews& views;
        ExperimentPanel& panel;
        SessionDocument& document;
        DialogMemory& dialogs;
        QWidget& window;
        std::function<Chart*()> currentChart;
        std::function<void(const QString&)> writeReport;   ///< throws ExportError
        std::function<void(const QString&)> writeHandout;  ///< throws ExportError
    };
    explicit ExportActions(Parts parts, QObject* parent = nullptr);

    /// Asks for a file name, runs `write` on it, and reports success or the error.
    void saveTo(const QString& title, const QString& suggested, const QString& filter,
                const std::function<void(const QString&)>& write);

    void saveExperiment();
    void saveResult();
    void saveSession();
    /// Quitting with an unsaved session: asks where to save it; false: not saved (stay).
    bool saveSessionBeforeQuit();
    void exportTrace();
    void exportChart();
    void exportAllCharts();
    /// Every chart with data into `dir` as `format` (png, svg, pdf), no dialog (the window's
    /// --export-charts); throws ExportError.
    ExportAllResult exportChartsTo(const QString& dir, const QString& format,
                                   const ImageOptions& options);
    void exportTable();
    void exportReport();
    void exportHandout();

signals:
    void message(const QString& text);
    void failed(const QString& what, const QString& message);

private:
    /// The image options, asked once per export; false: the user cancelled.
    bool askImageOptions(const QString& title);
    [[nodiscard]] QString experimentName() const;

    Parts m_parts;
    // The last size and resolution chosen in the export dialog, offered again (this process;
    // the format and the folder are remembered across starts, DialogMemory).
    ImageOptions m_imageOptions;
};

}  // namespace coreduel::ui
