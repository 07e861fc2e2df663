#include "ui/panels/presentation_window.h"

#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QRegularExpression>
#include <QVBoxLayout>
#include <algorithm>
#include <functional>

#include "ui/export/exporter.h"
#include "ui/panels/lessons_panel.h"
#include "ui/panels/prediction_edit.h"
#include "ui/plots/chart.h"

namespace coreduel::ui {
namespace {
QFont sized(const QFont& base, double points, bool bold = false) {
    QFont f = base;
    f.setPointSizeF(points);
    f.setBold(bold);
    return f;
}

/// The height `text` wraps to at `width` in `font`.
int wrappedHeight(const QFont& font, const QString& text, int width) {
    return QFontMetrics(font)
        .boundingRect(QRect(0, 0, std::max(1, width), 1 << 20),
                      Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop, text)
        .height();
}

// Sizes at the design resolution (1920×1080); fitText scales them to the window.
constexpr double kTitlePt = 30;
constexpr double kTextPt = 20;
constexpr double kHintPt = 12;
constexpr double kPredictionPt = 20;
constexpr double kPredictionEditPt = 22;
// The Predict screen has no chart beside its words: they are this much larger.
constexpr double kPredictScale = 1.5;
// The smallest the words shrink to on one screen: still readable from the back of a room.
// An explanation longer than that goes on over more screens (Space shows the next).
constexpr double kReadableTextPt = 18;
// Only a single sentence too long for a whole screen shrinks below it, to this.
constexpr double kMinTextPt = 10;

/// `units` joined with `joiner` into as few pieces as each fit `fits`; a unit that does not
/// fit on its own is a piece of its own.
QStringList packInto(const QStringList& units, const QString& joiner,
                     const std::function<bool(const QString&)>& fits) {
    QStringList pieces;
    QString current;
    for (const QString& unit : units) {
        const QString candidate = current.isEmpty() ? unit : current + joiner + unit;
        if (current.isEmpty() || fits(candidate)) {
            current = candidate;
            continue;
        }
        pieces << current;
        current = unit;
    }
    if (!current.isEmpty()) pieces << current;
    return pieces;
}
}  // namespace

PresentationWindow::PresentationWindow(LessonsPanel& lessons, Chart& chart, QWidget* parent)
    : QWidget(parent, Qt::Window), m_lessons(lessons), m_chart(&chart) {
    setWindowTitle(tr("CoreDuel — presentation"));
    setAttribute(Qt::WA_DeleteOnClose);
    setAutoFillBackground(true);
    // The window takes the keys back when the guesses are hidden (showStep): a hidden guess
    // box kept the focus and ate Space, → and ← for the rest of the lesson.
    setFocusPolicy(Qt::StrongFocus);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(48, 32, 48, 24);
    m_title = new QLabel(this);
    m_title->setFont(sized(font(), 30, true));
    m_title->setWordWrap(true);
    m_text = new QLabel(this);
    m_text->setFont(sized(font(), 20));
    m_text->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_text->setWordWrap(true);
    // The words take the column's height whatever their length (fitText sizes the type to
    // it): a long explanation must not make the window taller than the screen.
    m_text->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Ignored);
    m_predictionBox = new QWidget(this);
    m_predictionForm = new QFormLayout(m_predictionBox);
    m_chartView = new QLabel(this);
    m_chartView->setAlignment(Qt::AlignCenter);
    m_chartView->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);
    m_hint = new QLabel(tr("Space / → next   ·   ← back   ·   Esc leave"), this);
    m_hint->setFont(sized(font(), 12));
    m_hint->setAlignment(Qt::AlignRight);
    // Chart left, words right: a projector is wide, and the explanation must stay readable
    // next to the chart it explains.
    auto* body = new QHBoxLayout;
    m_words = new QVBoxLayout;
    m_words->addWidget(m_text, 1);
    m_words->addWidget(m_predictionBox);
    m_words->addStretch(0);  // the room under a Predict screen's question and guesses
    body->addWidget(m_chartView, 3);
    body->addLayout(m_words, 2);
    layout->addWidget(m_title);
    layout->addLayout(body, 1);
    layout->addWidget(m_hint);

    if (const Lesson* l = m_lessons.current()) {
        m_title->setText(QString::fromStdString(l->title));
        const auto given = m_lessons.predictions();
        for (std::size_t i = 0; i < l->predictions.size(); ++i) {
            auto* edit = new PredictionEdit(tr("?"), 1, m_predictionBox);
            edit->setFont(sized(font(), 22));
            edit->setMinimumWidth(180);
            if (i < given.size() && given[i]) edit->setValue(*given[i]);
            auto* label =
                new QLabel(QString::fromStdString(l->predictions[i].prompt), m_predictionBox);
            label->setFont(sized(font(), 20));
            label->setWordWrap(true);
            m_predictionForm->addRow(label, edit);
            m_predictionLabels.push_back(label);
            m_predictionEdits.push_back(edit);
        }
    }
    // The chart is drawn at 1.6x its usual scale: projector-sized text from the same chart.
    // At most once a second, slower where the live view's budget says so, and only when it
    // changed: every redraw takes CPU from the workers being measured (on a 2-core machine a
    // 4 Hz refresh of a projector-sized chart cost more than 10 % of a core).
    setLiveRefreshMs(0);
    connect(&m_refresh, &QTimer::timeout, this, &PresentationWindow::refreshIfChanged);
    showStep();
}

void PresentationWindow::next() {
    switch (m_step) {
        case Step::Predict:
            // Keep the guesses with the lesson before anything runs.
            for (std::size_t i = 0; i < m_predictionEdits.size(); ++i) {
                m_lessons.setPrediction(i, m_predictionEdits[i]->value());
            }
            m_step = Step::Run;
            showStep();
            emit runRequested();
            break;
        case Step::Run:
            break;  // the run decides when it is over
        case Step::Explain:
            if (m_screen + 1 < screenCount()) {
                ++m_screen;  // the rest of these words, over the same chart
                showWords();
            } else if (m_page + 1 < pageCount()) {
                ++m_page;  // the next part, over its own chart
                m_screen = 0;
                showStep();
            } else {
                close();
            }
            break;
    }
}

void PresentationWindow::back() {
    if (m_step != Step::Explain) return;
    if (m_screen > 0) {
        --m_screen;
        showWords();
        return;
    }
    if (m_page > 0) {
        --m_page;
    } else {
        m_step = Step::Predict;
    }
    m_screen = 0;
    showStep();
}

void PresentationWindow::runFinished(std::vector<Page> pages) {
    if (m_step != Step::Run) return;
    if (pages.empty()) pages.push_back(Page{QString(), m_lessons.outcomeText(), -1});
    m_pages = std::move(pages);
    m_page = 0;
    m_screen = 0;
    m_step = Step::Explain;
    showStep();
}

void PresentationWindow::showStep() {
    if (m_step != Step::Predict) setFocus(Qt::OtherFocusReason);
    const Lesson* l = m_lessons.current();
    const QString question = l != nullptr ? QString::fromStdString(l->question) : QString();
    switch (m_step) {
        case Step::Predict:
            m_text->setText(question + QStringLiteral("\n\n") + tr("Predict first:"));
            // No chart yet: the question and the guesses large, one under the other, from
            // the top, instead of words at the top and guesses at the foot of an empty screen.
            m_predictionBox->setVisible(!m_predictionEdits.empty());
            m_chartView->setVisible(false);
            m_refresh.stop();
            m_hint->setText(m_predictionEdits.empty()
                                ? tr("Space / → run   ·   Esc leave")
                                : tr("type your guesses   ·   Return run   ·   Esc leave"));
            break;
        case Step::Run:
            m_text->setText(question);
            m_predictionBox->setVisible(false);
            m_chartView->setVisible(true);
            m_refresh.start();
            m_hint->setText(tr("running…   ·   Esc leave"));
            break;
        case Step::Explain: {
            const Page page = currentPage();
            // The chart of the part these words quote, not whichever part ran last.
            if (page.part >= 0) emit partWanted(page.part);
            m_predictionBox->setVisible(false);
            m_chartView->setVisible(true);
            m_refresh.stop();
            showWords();
            refreshChart();
            return;
        }
    }
    fitText();
    refreshChart();
}

PresentationWindow::Page PresentationWindow::currentPage() const {
    return m_page < pageCount() ? m_pages[static_cast<std::size_t>(m_page)]
                                : Page{QString(), m_lessons.outcomeText(), -1};
}

QString PresentationWindow::shownWords() const {
    return m_text->text();
}

void PresentationWindow::paginate() {
    // The page's words at a readable size, screen by screen: whole paragraphs where they fit,
    // sentences where one paragraph alone does not; the part's heading opens every screen.
    Page page = currentPage();
    // "56 %" stays on one line: the walkthrough saw "56 /" and "%" on two.
    page.text.replace(QStringLiteral(" %"), QStringLiteral("\u00A0%"));
    const QFont font = sized(this->font(), kReadableTextPt * fontScale());
    const int width = m_text->width();
    const int height = m_text->height();
    const QString head = page.heading.isEmpty() ? QString() : page.heading + QStringLiteral("\n\n");
    const auto fits = [&](const QString& words) {
        return wrappedHeight(font, head + words, width) <= height;
    };
    QStringList paragraphs;
    for (const QString& p : page.text.split(QStringLiteral("\n\n"), Qt::SkipEmptyParts)) {
        if (fits(p)) {
            paragraphs << p;
            continue;
        }
        static const QRegularExpression sentenceEnd(QStringLiteral("(?<=[.!?:)])\\s+(?=[A-Z(])"));
        paragraphs << packInto(p.split(sentenceEnd), QStringLiteral(" "), fits);
    }
    m_screens.clear();
    for (const QString& words : packInto(paragraphs, QStringLiteral("\n\n"), fits))
        m_screens << head + words;
    if (m_screens.isEmpty()) m_screens << head;
    m_screen = std::min(m_screen, screenCount() - 1);
}

void PresentationWindow::showWords() {
    applyFonts();
    paginate();
    m_text->setText(m_screens[m_screen]);
    const bool moreWords = m_screen + 1 < screenCount();
    const bool moreParts = m_page + 1 < pageCount();
    const QString where = screenCount() > 1
                              ? tr("screen %1 of %2   ·   ").arg(m_screen + 1).arg(screenCount())
                              : QString();
    m_hint->setText(where +
                    (m_screen > 0 ? tr("← back")
                     : m_page > 0 ? tr("← previous part")
                                  : tr("← predict again")) +
                    (moreWords   ? tr("   ·   Space / → more")
                     : moreParts ? tr("   ·   Space / → next part")
                                 : tr("   ·   Space / → done")) +
                    tr("   ·   Esc leave"));
    fitWords();
}

double PresentationWindow::fontScale() const {
    return std::clamp(std::min(width() / 1920.0, height() / 1080.0), 0.6, 2.0);
}

void PresentationWindow::fitText() {
    applyFonts();
    fitWords();
}

void PresentationWindow::applyFonts() {
    const double scale = fontScale();
    // Predict: the words take the height they need and the room is left below them; the
    // other steps give the words the column's height and size the type to it (fitWords).
    const bool predict = m_step == Step::Predict;
    m_text->setSizePolicy(QSizePolicy::Preferred,
                          predict ? QSizePolicy::Preferred : QSizePolicy::Ignored);
    m_words->setStretch(0, predict ? 0 : 1);
    m_words->setStretch(2, predict ? 1 : 0);
    const double guess = predict ? kPredictScale : 1.0;
    if (predict) m_text->setFont(sized(font(), kTextPt * kPredictScale * scale));
    m_title->setFont(sized(font(), kTitlePt * scale, true));
    m_hint->setFont(sized(font(), std::max(9.0, kHintPt * scale)));
    for (QLabel* l : m_predictionLabels) l->setFont(sized(font(), kPredictionPt * guess * scale));
    for (QDoubleSpinBox* e : m_predictionEdits) {
        e->setFont(sized(font(), kPredictionEditPt * guess * scale));
        e->setMinimumWidth(static_cast<int>(180 * guess * scale));
        e->setMaximumWidth(static_cast<int>(260 * guess * scale));  // a number, not a line
    }
    if (layout() != nullptr) layout()->activate();
}

void PresentationWindow::fitWords() {
    if (m_step == Step::Predict) return;  // a question: its own height, at its own size
    // The words' column as laid out with the title, hint and predictions at their sizes.
    const int width = m_text->width();
    const int height = m_text->height();
    double points = kTextPt * fontScale();
    const QString text = m_text->text();
    while (points > kMinTextPt && wrappedHeight(sized(font(), points), text, width) > height) {
        points -= 0.5;
    }
    m_text->setFont(sized(font(), points));
}

void PresentationWindow::setLiveRefreshMs(int refreshMs) {
    m_refresh.setInterval(std::max(1000, refreshMs));
}

void PresentationWindow::refreshIfChanged() {
    if (m_chart && m_chart->revision() != m_drawnRevision) refreshChart();
}

void PresentationWindow::refreshChart() {
    if (!m_chart || !m_chartView->isVisible()) return;
    m_drawnRevision = m_chart->revision();
    const QSize area = m_chartView->size();
    if (area.width() < 50 || area.height() < 50) return;
    // Drawn as a slide export of the view's size: the chart's titles, subtitle and legend are
    // fitted to that size and its type is sized for it (a plain toPixmap at another size kept
    // the subtitle wrapped for the docked widget, and cut it on both sides).
    QPixmap p;
    try {
        // A slide: the words beside it explain the chart, so its subtitle is left out.
        p = QPixmap::fromImage(
            renderImage(*m_chart, ImageOptions{area * devicePixelRatioF(), 144, true}));
    } catch (const std::exception&) {
        return;  // nothing new to show; the previous picture stays
    }
    p.setDevicePixelRatio(devicePixelRatioF());
    m_chartView->setPixmap(p);
}

void PresentationWindow::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    if (m_step == Step::Explain)
        showWords();  // the screens are cut for the window's size
    else
        fitText();
    refreshChart();
}

void PresentationWindow::keyPressEvent(QKeyEvent* event) {
    switch (event->key()) {
        case Qt::Key_Space:
        case Qt::Key_Right:
        case Qt::Key_PageDown:
        case Qt::Key_Return:
        case Qt::Key_Enter:
            next();
            return;
        case Qt::Key_Left:
        case Qt::Key_PageUp:
        case Qt::Key_Backspace:
            back();
            return;
        case Qt::Key_Escape:
            close();
            return;
        default:
            QWidget::keyPressEvent(event);
    }
}

}  // namespace coreduel::ui
