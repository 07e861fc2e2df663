#pragma once
// The Lessons panel: pick a lesson, read the guide's claim and the question, type predictions,
// run it, and read the explanation filled in with this machine's numbers next to what you
// predicted. Predictions are kept (QSettings) so they can be compared after the run, and with
// the next run.

#include <QWidget>
#include <optional>
#include <vector>

#include "core/lessons/lesson.h"
#include "core/lessons/lesson_run.h"
#include "core/run/result.h"

class QCheckBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QListWidget;
class QPushButton;
class QTextBrowser;

namespace coreduel::ui {

class LessonsPanel : public QWidget {
    Q_OBJECT
public:
    explicit LessonsPanel(QWidget* parent = nullptr, bool persist = true);

    [[nodiscard]] const std::vector<Lesson>& lessons() const { return m_lessons; }
    /// The selected lesson, or nullptr.
    [[nodiscard]] const Lesson* current() const;
    bool selectLesson(const QString& name);  ///< by name, with or without its number
    [[nodiscard]] bool quick() const;
    void setQuick(bool quick);

    /// Predicted speedups, one per prediction of the current lesson (nullopt: none given).
    [[nodiscard]] std::vector<std::optional<double>> predictions() const;
    void setPrediction(std::size_t index, double speedup);

    /// The run of the current lesson ended: its outcome (LessonRun's words, one truth with the
    /// CLI) and, when it finished, the user's predictions against the measurement. `note` (may
    /// be empty) is added at the end: what may have disturbed the measurement.
    void showOutcome(const LessonRun& run, const QString& note = {});
    /// The run failed or could not start: says so instead of an explanation.
    void showFailure(const QString& message);
    /// An outcome as it was shown before (a reopened lesson session keeps it).
    void showOutcomeText(const QString& text);
    /// What the outcome box shows, as plain text (handouts, tests).
    [[nodiscard]] QString outcomeText() const { return m_outcomeText; }
    /// The same told part by part for a screen per part (LessonRun::outcomePages, with the
    /// predictions on part 1's); one page when the outcome cannot be split (a reopened
    /// session's words, a failure).
    [[nodiscard]] QStringList outcomePages() const { return m_outcomePages; }

signals:
    void runRequested();
    void presentRequested();
    void handoutRequested();
    void lessonChanged();

private:
    /// The lessons folder into the list: every lesson that loads, and each file that did not,
    /// greyed with its error.
    void loadShelf();
    void showLesson();
    void savePredictions();

    bool m_persist;
    std::vector<Lesson> m_lessons;
    QListWidget* m_list = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_claim = nullptr;
    QLabel* m_question = nullptr;
    QFormLayout* m_predictionForm = nullptr;
    std::vector<QDoubleSpinBox*> m_predictionEdits;
    QCheckBox* m_quick = nullptr;
    QPushButton* m_run = nullptr;
    QPushButton* m_present = nullptr;
    QPushButton* m_handout = nullptr;
    QTextBrowser* m_outcome = nullptr;
    QString m_outcomeText;
    QStringList m_outcomePages;
};

}  // namespace coreduel::ui
