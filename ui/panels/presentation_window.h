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
class QVBoxLayout;

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
    /// One page of the Explain step: its words and the lesson part whose numbers they quote,
    /// whose chart is shown beside them (-1: the chart as it is).
    struct Page {
        QString heading;  ///< "part 1 of 2: the engine's models"; empty for a lone part
        QString text;
        int part = -1;
    };
    /// The lesson's run ended. `pages`: the explanation page by page; empty: one page with
    /// the panel's outcome text over the chart as it is.
    void runFinished(std::vector<Page> pages = {});
    /// The Explain step's page (0-based) and how many there are.
    [[nodiscard]] int page() const { return m_page; }
    [[nodiscard]] int pageCount() const { return static_cast<int>(m_pages.size()); }
    /// A page's words too long for one screen at a readable size go on over more screens
    /// (Space shows the next one, over the same chart): which one is shown, and how many.
    [[nodiscard]] int screen() const { return m_screen; }
    [[nodiscard]] int screenCount() const { return static_cast<int>(m_screens.size()); }
    /// The words on the screen now.
    [[nodiscard]] QString shownWords() const;
    /// While a run is measured the chart is drawn again at most every `refreshMs` (the live
    /// view's budget, RunController::liveRefreshChanged); 0: the interactive second.
    void setLiveRefreshMs(int refreshMs);

signals:
    /// Entering the Run step: the main window starts the lesson.
    void runRequested();
    /// An Explain page talks about lesson part `part`: the main window shows it on the charts
    /// before the chart is drawn beside the words.
    void partWanted(int part);

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void showStep();
    void refreshChart();
    /// The Run step's timer: the chart again only when it changed since it was last drawn.
    void refreshIfChanged();
    /// Type sized from the window (designed for 1920×1080, larger on a larger projector,
    /// smaller on a laptop), then the words shrunk until all of them fit their column: the
    /// explanation is never cut at the bottom of the screen.
    void fitText();
    /// Title, hint and prediction type sized from the window, and the layout brought up to date.
    void applyFonts();
    /// The words shrunk until all of them fit their column (kMinTextPt at the least).
    void fitWords();
    [[nodiscard]] double fontScale() const;
    [[nodiscard]] Page currentPage() const;
    /// The Explain page's words, cut into screens that fit at a readable size, and the one
    /// shown (with where it is in the hint).
    void paginate();
    void showWords();

    LessonsPanel& m_lessons;
    QPointer<Chart> m_chart;
    Step m_step = Step::Predict;
    QLabel* m_title = nullptr;
    QLabel* m_text = nullptr;
    QWidget* m_predictionBox = nullptr;
    QVBoxLayout* m_words = nullptr;  // the words' column: text, guesses, room below
    QFormLayout* m_predictionForm = nullptr;
    std::vector<QLabel*> m_predictionLabels;
    std::vector<QDoubleSpinBox*> m_predictionEdits;
    QLabel* m_chartView = nullptr;
    QLabel* m_hint = nullptr;
    QTimer m_refresh;
    quint64 m_drawnRevision = 0;  // the chart's revision() when it was last drawn here
    std::vector<Page> m_pages;
    int m_page = 0;
    QStringList m_screens;
    int m_screen = 0;
};

}  // namespace coreduel::ui
