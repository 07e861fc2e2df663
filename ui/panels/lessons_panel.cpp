#include "ui/panels/lessons_panel.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <algorithm>

#include "core/util/errors.h"
#include "core/workloads/params.h"
#include "ui/panels/prediction_edit.h"

namespace coreduel::ui {

LessonsPanel::LessonsPanel(QWidget* parent, bool persist) : QWidget(parent), m_persist(persist) {
    // The list on top, the lesson's text, predictions and outcome scrolling in the middle, and
    // Run/Present/Handout always in view below them.
    auto* root = new QVBoxLayout(this);
    root->setContentsMargins(0, 0, 0, 0);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* body = new QWidget;
    auto* layout = new QVBoxLayout(body);
    scroll->setWidget(body);
    m_list = new QListWidget(this);
    m_list->setToolTip(
        tr("Lessons from resources/lessons/: each makes one claim of the "
           "multiprocessing guide measurable on this machine."));
    m_list->setMaximumHeight(110);
    root->addWidget(m_list);
    root->addWidget(scroll, 1);
    m_title = new QLabel(this);
    QFont big = m_title->font();
    big.setPointSize(big.pointSize() + 3);
    big.setBold(true);
    m_title->setFont(big);
    m_title->setWordWrap(true);
    m_claim = new QLabel(this);
    m_claim->setWordWrap(true);
    // Italic by font, not by a style sheet: a styled label keeps the palette it was polished
    // with, so after a theme switch the claim stayed dark grey on the dark window (1.2:1).
    QFont italic = m_claim->font();
    italic.setItalic(true);
    m_claim->setFont(italic);
    m_question = new QLabel(this);
    m_question->setWordWrap(true);
    layout->addWidget(m_title);
    layout->addWidget(m_claim);
    layout->addWidget(m_question);
    auto* predictions = new QWidget(this);
    m_predictionForm = new QFormLayout(predictions);
    m_predictionForm->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(predictions);
    m_quick = new QCheckBox(tr("quick (reduced size: seconds, not a minute)"), this);
    m_quick->setToolTip(
        tr("Runs the lesson's smaller version: the same comparison, less "
           "precise numbers."));
    layout->addWidget(m_quick);
    auto* buttons = new QHBoxLayout;
    m_run = new QPushButton(tr("Run lesson"), this);
    m_run->setToolTip(tr("Loads the lesson's experiment into the Experiment panel and runs it."));
    m_present = new QPushButton(tr("Present…"), this);
    m_present->setToolTip(
        tr("Full screen for a projector: question, predict, run, explain "
           "(Space/→ next, ← back, Esc leaves). F5."));
    m_handout = new QPushButton(tr("Handout PDF…"), this);
    m_handout->setToolTip(
        tr("One page: the question, your predictions against the "
           "measurement, the chart and the explanation."));
    buttons->addWidget(m_run);
    buttons->addWidget(m_present);
    buttons->addWidget(m_handout);
    root->addLayout(buttons);
    m_run->setObjectName(QStringLiteral("lesson-run"));
    m_present->setObjectName(QStringLiteral("lesson-present"));
    m_handout->setObjectName(QStringLiteral("lesson-handout"));
    m_outcome = new QTextBrowser(this);
    m_outcome->setPlaceholderText(
        tr("Run the lesson: the explanation appears here with the "
           "numbers measured on this machine."));
    m_outcome->setMinimumHeight(220);
    layout->addWidget(m_outcome, 1);

    connect(m_run, &QPushButton::clicked, this, &LessonsPanel::runRequested);
    connect(m_present, &QPushButton::clicked, this, &LessonsPanel::presentRequested);
    connect(m_handout, &QPushButton::clicked, this, &LessonsPanel::handoutRequested);
    connect(m_list, &QListWidget::currentRowChanged, this, [this] {
        showLesson();
        emit lessonChanged();
    });

    loadShelf();
}

void LessonsPanel::loadShelf() {
    std::vector<std::string> broken;
    try {
        m_lessons = loadLessons(lessonsDirectory(), &broken);
        if (m_lessons.empty() && !broken.empty()) throw InvalidArgument(broken.front());
    } catch (const std::exception& e) {
        m_title->setText(tr("No lessons"));
        m_question->setText(QString::fromUtf8(e.what()));
        m_run->setEnabled(false);
        m_present->setEnabled(false);
        m_handout->setEnabled(false);
        return;
    }
    for (const Lesson& l : m_lessons) {
        m_list->addItem(QString::fromStdString(l.title));
        m_list->item(m_list->count() - 1)->setToolTip(QString::fromStdString(l.question));
    }
    // A lesson file that did not load is listed, greyed, with its error: never silently gone.
    for (const std::string& why : broken) {
        auto* item = new QListWidgetItem(tr("(could not load) %1")
                                             .arg(QString::fromStdString(why)
                                                      .section(QLatin1Char(':'), 0, 0)
                                                      .section(QLatin1Char('/'), -1)),
                                         m_list);
        item->setFlags(item->flags() & ~(Qt::ItemIsEnabled | Qt::ItemIsSelectable));
        item->setToolTip(QString::fromStdString(why));
    }
    if (!m_lessons.empty()) m_list->setCurrentRow(0);
}

const Lesson* LessonsPanel::current() const {
    const int row = m_list->currentRow();
    if (row < 0 || row >= static_cast<int>(m_lessons.size())) return nullptr;
    return &m_lessons[static_cast<std::size_t>(row)];
}

bool LessonsPanel::selectLesson(const QString& name) {
    for (std::size_t i = 0; i < m_lessons.size(); ++i) {
        const QString full = QString::fromStdString(m_lessons[i].name);
        if (full == name || full.section(QLatin1Char('-'), 1) == name) {
            m_list->setCurrentRow(static_cast<int>(i));
            return true;
        }
    }
    return false;
}

bool LessonsPanel::quick() const {
    return m_quick->isChecked();
}
void LessonsPanel::setQuick(bool quick) {
    m_quick->setChecked(quick);
}

std::vector<std::optional<double>> LessonsPanel::predictions() const {
    std::vector<std::optional<double>> out;
    for (QDoubleSpinBox* e : m_predictionEdits) {
        out.push_back(e->value() > e->minimum() ? std::optional<double>(e->value()) : std::nullopt);
    }
    return out;
}

void LessonsPanel::setPrediction(std::size_t index, double speedup) {
    if (index < m_predictionEdits.size()) m_predictionEdits[index]->setValue(speedup);
}

void LessonsPanel::showLesson() {
    while (m_predictionForm->rowCount() > 0) m_predictionForm->removeRow(0);
    m_predictionEdits.clear();
    m_outcome->clear();
    m_outcomeText.clear();
    m_outcomePages.clear();
    const Lesson* l = current();
    if (l == nullptr) return;
    m_title->setText(QString::fromStdString(l->title));
    m_claim->setText(tr("The guide: “%1”").arg(QString::fromStdString(l->claim)));
    m_question->setText(QString::fromStdString(l->question));
    const QSettings settings;
    for (std::size_t i = 0; i < l->predictions.size(); ++i) {
        const Prediction& p = l->predictions[i];
        auto* edit = new PredictionEdit(tr("your guess"), 2, this);
        edit->setToolTip(QString::fromStdString(p.prompt));
        const QString key =
            QStringLiteral("lessons/%1/prediction%2").arg(QString::fromStdString(l->name)).arg(i);
        if (m_persist) edit->setValue(settings.value(key, 0.0).toDouble());
        connect(edit, &QDoubleSpinBox::valueChanged, this, &LessonsPanel::savePredictions);
        auto* label = new QLabel(QString::fromStdString(p.prompt), this);
        label->setWordWrap(true);
        m_predictionForm->addRow(label, edit);
        m_predictionEdits.push_back(edit);
    }
}

void LessonsPanel::savePredictions() {
    const Lesson* l = current();
    if (!m_persist || l == nullptr) return;
    QSettings settings;
    for (std::size_t i = 0; i < m_predictionEdits.size(); ++i) {
        settings.setValue(
            QStringLiteral("lessons/%1/prediction%2").arg(QString::fromStdString(l->name)).arg(i),
            m_predictionEdits[i]->value());
    }
}

void LessonsPanel::showFailure(const QString& message) {
    m_outcomeText = tr("The lesson did not run to the end: %1").arg(message);
    m_outcomePages = QStringList{m_outcomeText};
    m_outcome->setPlainText(m_outcomeText);
}

void LessonsPanel::showOutcome(const LessonRun& run, const QString& note) {
    m_outcomePages.clear();
    try {
        m_outcomeText = QString::fromStdString(run.outcomeText());
        for (const std::string& page : run.outcomePages())
            m_outcomePages << QString::fromStdString(page);
        if (m_outcomePages.isEmpty()) m_outcomePages << m_outcomeText;
        QStringList lines;
        for (const std::string& line : run.predictionLines(predictions()))
            lines << QString::fromStdString(line);
        if (!lines.isEmpty()) {
            m_outcomeText += QStringLiteral("\n\n") + lines.join(QLatin1Char('\n'));
            m_outcomePages.front() += QStringLiteral("\n\n") + lines.join(QLatin1Char('\n'));
        }
    } catch (const std::exception& e) {
        m_outcomeText =
            tr("This lesson's explanation cannot be filled: %1").arg(QString::fromUtf8(e.what()));
        m_outcomePages = QStringList{m_outcomeText};
    }
    if (!note.isEmpty()) {
        m_outcomeText += QStringLiteral("\n\n") + note;
        m_outcomePages.back() += QStringLiteral("\n\n") + note;
    }
    m_outcome->setPlainText(m_outcomeText);
}

void LessonsPanel::showOutcomeText(const QString& text) {
    m_outcomeText = text;
    m_outcomePages = QStringList{text};
    m_outcome->setPlainText(m_outcomeText);
}

}  // namespace coreduel::ui
