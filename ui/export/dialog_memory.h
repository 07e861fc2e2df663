#pragma once
// Where the user last saved, opened and exported, and the chart format they last chose: a file
// dialog opens in that folder with that format, also after a restart (kept in QSettings when
// the window keeps settings; scripted and test windows keep it for the process only).

#include <QString>
#include <map>

namespace coreduel::ui {

class DialogMemory {
public:
    explicit DialogMemory(bool persist);
    /// `name` in the folder last used for `kind` ("open", "save", "export"); `name` alone
    /// before any.
    [[nodiscard]] QString path(const QString& kind, const QString& name = {}) const;
    /// The folder of `chosen` (a file, or a folder itself when `isFolder`) is `kind`'s now.
    void remember(const QString& kind, const QString& chosen, bool isFolder = false);
    [[nodiscard]] QString format() const { return m_format; }
    void setFormat(const QString& format);

private:
    bool m_persist;
    std::map<QString, QString> m_folders;
    QString m_format = QStringLiteral("png");
};

}  // namespace coreduel::ui
