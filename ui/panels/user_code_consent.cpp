#include "ui/panels/user_code_consent.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <QLocale>
#include <QMessageBox>

#include "core/workloads/workload.h"

namespace coreduel::ui {

namespace {

/// The parameters that name the user's code: a Python file, a native library.
constexpr const char* kCodeParams[] = {"file", "library"};

QString sha256Of(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&f);
    return QString::fromLatin1(hash.result().toHex());
}

}  // namespace

QString UserCodeConsent::describe(const Experiment& e) {
    bool userCode = false;
    try {
        userCode = findWorkloadInfo(e.workload).userCode;
    } catch (const std::exception&) {
        return {};  // an unknown workload: the run refuses it
    }
    if (!userCode) return {};
    QStringList lines;
    for (const char* key : kCodeParams) {
        const auto it = e.params.find(key);
        if (it == e.params.end()) continue;
        const QFileInfo file(QString::fromStdString(it->second));
        if (!file.isFile()) continue;
        lines << QObject::tr("%1: %2, %3, SHA-256 %4")
                     .arg(QString::fromStdString(e.workload), file.absoluteFilePath(),
                          QLocale().formattedDataSize(file.size()), sha256Of(file.filePath()));
    }
    if (const auto it = e.params.find("function"); it != e.params.end() && !lines.isEmpty())
        lines << QObject::tr("function: %1").arg(QString::fromStdString(it->second));
    return lines.join(QLatin1Char('\n'));
}

bool UserCodeConsent::allowAsItIsNow(QWidget* parent, Experiment& e) {
    if (QGuiApplication::platformName() == QLatin1String("offscreen")) return allow(parent, e);
    // (file, its recorded hash, its recorded size) of each workload that names user code.
    static const std::pair<const char*, const char*> kRecorded[] = {{"file", "file_sha256"},
                                                                    {"library", "library_sha256"}};
    for (const auto& [code, shaKey] : kRecorded) {
        const auto file = e.params.find(code);
        const auto sha = e.params.find(shaKey);
        if (file == e.params.end() || sha == e.params.end() || sha->second.empty()) continue;
        const QString path = QString::fromStdString(file->second);
        const QString now = sha256Of(path);
        if (now.isEmpty() || now.toStdString() == sha->second) continue;
        const auto answer = QMessageBox::question(
            parent, QObject::tr("Your code changed"),
            QObject::tr("%1 is not the file this experiment recorded:\n\nrecorded SHA-256 %2\n"
                        "now      SHA-256 %3\n\nRun it as it is now (its new hash is recorded)?")
                .arg(path, QString::fromStdString(sha->second), now),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        if (answer != QMessageBox::Yes) return false;
        const std::string prefix = std::string(shaKey).substr(0, std::string(shaKey).find('_'));
        e.params.erase(shaKey);
        e.params.erase(prefix + "_bytes");
    }
    return allow(parent, e);
}

bool UserCodeConsent::allow(QWidget* parent, const Experiment& e) {
    const QString what = describe(e);
    if (what.isEmpty() || m_agreed.contains(what)) return true;
    if (QGuiApplication::platformName() == QLatin1String("offscreen")) return true;
    const auto answer = QMessageBox::question(
        parent, QObject::tr("Run your own code?"),
        QObject::tr("This experiment runs code that is not part of CoreDuel, in this program and "
                    "in its worker processes:\n\n%1\n\nRun it?")
            .arg(what),
        QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
    if (answer != QMessageBox::Yes) return false;
    m_agreed.insert(what);
    return true;
}

}  // namespace coreduel::ui
