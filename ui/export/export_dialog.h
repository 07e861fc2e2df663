#pragma once
// The chart export dialog: a format (PNG, SVG, PDF) and a size, picked from presets (slide,
// document column, poster) or free. Shared by "Export chart" and "Export all charts".

#include <QDialog>
#include <QString>

#include "ui/export/exporter.h"

class QComboBox;
class QLabel;
class QSpinBox;

namespace coreduel::ui {

class ExportDialog : public QDialog {
    Q_OBJECT
public:
    explicit ExportDialog(const QString& title, QWidget* parent = nullptr);

    /// "png", "svg" or "pdf".
    [[nodiscard]] QString format() const;
    void setFormat(const QString& format);
    [[nodiscard]] ImageOptions options() const;
    /// Selects the preset whose size and DPI match `options`, or free size with its values.
    void setOptions(const ImageOptions& options);
    /// The preset's name, or "Free size".
    [[nodiscard]] QString presetName() const;
    /// Selects a preset by its index in exportPresets().
    void selectPreset(int index);

private:
    void presetChosen();
    void valuesEdited();
    void updateNote();
    QComboBox* m_format;
    QComboBox* m_preset;
    QSpinBox* m_width;
    QSpinBox* m_height;
    QSpinBox* m_dpi;
    QLabel* m_note;
    bool m_applying = false;  // the spin boxes change because a preset was picked
};

}  // namespace coreduel::ui
