#pragma once
// A one-line label that shows its text cut with "…" to its width, never clipped mid-word: the
// warnings strip above the per-core strip read "… 38 % of the mear" on a 1366-pixel screen.
// The whole text stays in the tooltip the owner sets.

#include <QLabel>
#include <QString>

namespace coreduel::ui {

class ElidedLabel : public QLabel {
public:
    using QLabel::QLabel;
    /// The text to show, cut to the label's width (again at every resize).
    void setFullText(const QString& text);
    [[nodiscard]] QString fullText() const { return m_full; }

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void refit();
    QString m_full;
};

}  // namespace coreduel::ui
