#pragma once
// The bar above the live strip for a session of several parts (a lesson's): while the lesson
// runs it lists its parts with the running one current, nothing pickable; afterwards (or for
// a reopened session) every part can be picked and every chart shows it.

#include <QWidget>

class QComboBox;
class QLabel;

namespace coreduel {
struct Lesson;
struct Session;
}  // namespace coreduel

namespace coreduel::ui {

class PartsBar : public QWidget {
    Q_OBJECT
public:
    explicit PartsBar(QWidget* parent = nullptr);
    /// A lesson is running part `running` (0-based): its parts listed, nothing pickable.
    void showRunning(const Lesson& lesson, std::size_t running);
    /// A session's parts, `shown` current; hidden for a session of fewer than two (or none).
    void showSession(const Session* session, int shown);
    void setCurrent(int part);

signals:
    void partPicked(int part);

private:
    QLabel* m_label = nullptr;
    QComboBox* m_picker = nullptr;
};

}  // namespace coreduel::ui
