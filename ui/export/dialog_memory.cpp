#include "ui/export/dialog_memory.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace coreduel::ui {

namespace {
const QString kGroup = QStringLiteral("dialogs/");
}

DialogMemory::DialogMemory(bool persist) : m_persist(persist) {
    if (!m_persist) return;
    QSettings s;
    for (const QString& kind :
         {QStringLiteral("open"), QStringLiteral("save"), QStringLiteral("export")}) {
        const QString dir = s.value(kGroup + kind).toString();
        if (!dir.isEmpty() && QFileInfo(dir).isDir()) m_folders[kind] = dir;
    }
    const QString format = s.value(kGroup + QStringLiteral("format")).toString();
    if (format == QLatin1String("png") || format == QLatin1String("svg") ||
        format == QLatin1String("pdf"))
        m_format = format;
}

QString DialogMemory::path(const QString& kind, const QString& name) const {
    const auto it = m_folders.find(kind);
    if (it == m_folders.end()) return name;
    return name.isEmpty() ? it->second : QDir(it->second).filePath(name);
}

void DialogMemory::remember(const QString& kind, const QString& chosen, bool isFolder) {
    if (chosen.isEmpty()) return;
    const QString dir =
        isFolder ? QFileInfo(chosen).absoluteFilePath() : QFileInfo(chosen).absolutePath();
    m_folders[kind] = dir;
    if (m_persist) QSettings().setValue(kGroup + kind, dir);
}

void DialogMemory::setFormat(const QString& format) {
    m_format = format;
    if (m_persist) QSettings().setValue(kGroup + QStringLiteral("format"), format);
}

}  // namespace coreduel::ui
