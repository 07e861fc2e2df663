#include "ui/export/export_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>

#include "ui/export/chart_export.h"

namespace coreduel::ui {

ExportDialog::ExportDialog(const QString& title, QWidget* parent)
    : QDialog(parent),
      m_format(new QComboBox(this)),
      m_preset(new QComboBox(this)),
      m_width(new QSpinBox(this)),
      m_height(new QSpinBox(this)),
      m_dpi(new QSpinBox(this)),
      m_note(new QLabel(this)) {
    setWindowTitle(title);
    m_format->addItem(tr("PNG image"), QStringLiteral("png"));
    m_format->addItem(tr("SVG (vector, for slides and editing)"), QStringLiteral("svg"));
    m_format->addItem(tr("PDF (vector, for documents)"), QStringLiteral("pdf"));
    for (const ExportPreset& p : exportPresets()) {
        m_preset->addItem(tr("%1 — %2 × %3 px, %4 DPI")
                              .arg(p.name)
                              .arg(p.pixels.width())
                              .arg(p.pixels.height())
                              .arg(p.dpi));
    }
    m_preset->addItem(tr("Free size"));
    m_width->setRange(16, 16384);
    m_height->setRange(16, 16384);
    m_dpi->setRange(36, 1200);
    m_width->setSuffix(QStringLiteral(" px"));
    m_height->setSuffix(QStringLiteral(" px"));
    m_dpi->setToolTip(
        tr("Pixels per inch: the PNG's density and the PDF's page size. Type is "
           "sized for the picture's shorter side, and never below three quarters "
           "of its points at this density."));
    m_note->setWordWrap(true);
    auto* form = new QFormLayout(this);
    form->addRow(tr("Format"), m_format);
    form->addRow(tr("Size"), m_preset);
    form->addRow(tr("Width"), m_width);
    form->addRow(tr("Height"), m_height);
    form->addRow(tr("DPI"), m_dpi);
    form->addRow(m_note);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_preset, qOverload<int>(&QComboBox::currentIndexChanged), this,
            &ExportDialog::presetChosen);
    for (QSpinBox* box : {m_width, m_height, m_dpi})
        connect(box, qOverload<int>(&QSpinBox::valueChanged), this, &ExportDialog::valuesEdited);
    selectPreset(0);
    presetChosen();
}

QString ExportDialog::format() const {
    return m_format->currentData().toString();
}

void ExportDialog::setFormat(const QString& format) {
    const int i = m_format->findData(format.toLower());
    if (i >= 0) m_format->setCurrentIndex(i);
}

ImageOptions ExportDialog::options() const {
    return ImageOptions{QSize(m_width->value(), m_height->value()), m_dpi->value()};
}

void ExportDialog::setOptions(const ImageOptions& options) {
    m_applying = true;
    m_width->setValue(options.pixels.width());
    m_height->setValue(options.pixels.height());
    m_dpi->setValue(options.dpi);
    m_applying = false;
    valuesEdited();
}

QString ExportDialog::presetName() const {
    const auto& presets = exportPresets();
    const int i = m_preset->currentIndex();
    return i >= 0 && i < static_cast<int>(presets.size()) ? presets[std::size_t(i)].name
                                                          : tr("Free size");
}

void ExportDialog::selectPreset(int index) {
    m_preset->setCurrentIndex(index);
}

void ExportDialog::presetChosen() {
    const auto& presets = exportPresets();
    const int i = m_preset->currentIndex();
    if (i >= 0 && i < static_cast<int>(presets.size())) {
        m_applying = true;
        m_width->setValue(presets[std::size_t(i)].pixels.width());
        m_height->setValue(presets[std::size_t(i)].pixels.height());
        m_dpi->setValue(presets[std::size_t(i)].dpi);
        m_applying = false;
    }
    updateNote();
}

void ExportDialog::valuesEdited() {
    if (m_applying) return;
    // Values that match a preset select it; anything else is a free size.
    const ImageOptions o = options();
    const auto& presets = exportPresets();
    int match = static_cast<int>(presets.size());
    for (std::size_t i = 0; i < presets.size(); ++i) {
        if (presets[i].pixels == o.pixels && presets[i].dpi == o.dpi) match = static_cast<int>(i);
    }
    m_applying = true;
    m_preset->setCurrentIndex(match);
    m_applying = false;
    updateNote();
}

void ExportDialog::updateNote() {
    const ImageOptions o = options();
    const double inW = o.pixels.width() / double(o.dpi);
    const double inH = o.pixels.height() / double(o.dpi);
    m_note->setText(tr("%1 × %2 in (%3 × %4 cm) at %5 DPI; a PDF page of %6 × %7 pt.")
                        .arg(inW, 0, 'f', 1)
                        .arg(inH, 0, 'f', 1)
                        .arg(inW * 2.54, 0, 'f', 1)
                        .arg(inH * 2.54, 0, 'f', 1)
                        .arg(o.dpi)
                        .arg(inW * 72, 0, 'f', 0)
                        .arg(inH * 72, 0, 'f', 0));
}

}  // namespace coreduel::ui
