#include "ui/panels/param_field.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QRegularExpression>
#include <QToolButton>
#include <algorithm>

#include "core/util/errors.h"

namespace coreduel::ui {

namespace {

// A Python file larger than this is not read for its function names (the field still takes
// any name typed): reading it happens on the GUI thread.
constexpr qint64 kMaxSourceBytes = 2 * 1024 * 1024;

enum class Picks { File, Folder };

QString filterFor(const std::string& workload) {
    if (workload == "python") return QObject::tr("Python files (*.py);;All files (*)");
    if (workload == "native") return QObject::tr("Shared libraries (*.so *.so.*);;All files (*)");
    return QObject::tr("All files (*)");
}

QWidget* withBrowse(QLineEdit* edit, Picks picks, const QString& filter, const QString& name,
                    QWidget* parent) {
    auto* row = new QWidget(parent);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    edit->setParent(row);
    layout->addWidget(edit, 1);
    auto* browse = new QToolButton(row);
    browse->setText(QObject::tr("Browse…"));
    browse->setObjectName(QStringLiteral("browse-") + name);
    browse->setToolTip(picks == Picks::Folder ? QObject::tr("Choose a folder")
                                              : QObject::tr("Choose a file"));
    layout->addWidget(browse);
    QObject::connect(browse, &QToolButton::clicked, edit, [edit, picks, filter] {
        const QString start = edit->text().trimmed().isEmpty()
                                  ? QDir::currentPath()
                                  : QFileInfo(edit->text().trimmed()).absolutePath();
        const QString chosen =
            picks == Picks::Folder
                ? QFileDialog::getExistingDirectory(edit, QObject::tr("Choose a folder"), start)
                : QFileDialog::getOpenFileName(edit, QObject::tr("Choose a file"), start, filter);
        if (chosen.isEmpty()) return;
        // textChanged, even for the same file again: the panel revalidates and forgets the
        // hash a run recorded for it (the user chose the file as it is now).
        if (chosen == edit->text()) edit->clear();
        edit->setText(chosen);
    });
    return row;
}

}  // namespace

ParamField makeParamField(const std::string& workload, const ParamSpec& spec, QWidget* parent) {
    ParamField f;
    if (workload == "python" && spec.name == "function") {
        f.functions = new QComboBox(parent);
        f.functions->setEditable(true);
        f.functions->setInsertPolicy(QComboBox::NoInsert);
        f.functions->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        f.functions->setMinimumContentsLength(12);
        f.functions->setObjectName(QStringLiteral("function-chooser"));
        f.edit = f.functions->lineEdit();
        f.widget = f.functions;
        return f;
    }
    f.edit = new QLineEdit(parent);
    f.widget = f.edit;
    if (spec.recorded) {
        // Which file ran (its hash and size) or the interpreter the list above names: shown so
        // that a rerun is seen to check them, never typed.
        f.edit->setReadOnly(true);
        f.edit->setFocusPolicy(Qt::NoFocus);
        f.edit->setFrame(false);  // shown like a label: it does not look like a box to type in
        f.edit->setPlaceholderText(spec.name == "python" ? QObject::tr("from Interpreters")
                                                         : QObject::tr("recorded by a run"));
        return f;
    }
    if (spec.kind == ParamKind::Path) {
        const auto name = QString::fromStdString(spec.name);
        f.widget = withBrowse(f.edit, spec.name == "dir" ? Picks::Folder : Picks::File,
                              filterFor(workload), name, parent);
    }
    return f;
}

QLineEdit* makeKernelParamsField(QWidget* parent) {
    auto* edit = new QLineEdit(parent);
    edit->setObjectName(QStringLiteral("kernel-params"));
    edit->setPlaceholderText(QStringLiteral("tasks=64 steps=8000000"));
    edit->setToolTip(QObject::tr(
        "The kernel's own parameters, key=value separated by spaces (no spaces in a value): "
        "CoreDuel passes them to the kernel as text, and the kernel says what it accepts."));
    return edit;
}

std::map<std::string, std::string> parseKernelParams(const QString& text) {
    std::map<std::string, std::string> out;
    for (const QString& piece : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const auto eq = piece.indexOf(QLatin1Char('='));
        if (eq <= 0)
            throw InvalidArgument("the kernel's parameters: '" + piece.toStdString() +
                                  "' is not key=value");
        out[piece.left(eq).toStdString()] = piece.mid(eq + 1).toStdString();
    }
    return out;
}

QString kernelParamsText(const std::map<std::string, std::string>& params,
                         const std::vector<ParamSpec>& declared) {
    QStringList pairs;
    for (const auto& [key, value] : params) {
        const bool own = std::none_of(declared.begin(), declared.end(),
                                      [&](const ParamSpec& s) { return s.name == key; });
        if (own) pairs << QString::fromStdString(key + "=" + value);
    }
    return pairs.join(QLatin1Char(' '));
}

void followFile(QLineEdit* file, QComboBox* functions) {
    auto refill = [file, functions] {
        QStringList names;
        QFile source(file->text().trimmed());
        if (source.size() <= kMaxSourceBytes && source.open(QIODevice::ReadOnly))
            names = topLevelFunctions(QString::fromUtf8(source.readAll()));
        const QString typed = functions->currentText();
        {
            const QSignalBlocker quiet(functions);
            functions->clear();
            functions->addItems(names);
        }
        functions->setEditText(typed);  // the name stays what it was; the list only offers
        functions->setToolTip(
            names.isEmpty() ? QObject::tr("The function's name in the file")
                            : QObject::tr("The function's name: the file defines %1 at top level")
                                  .arg(names.join(QStringLiteral(", "))));
    };
    QObject::connect(file, &QLineEdit::textChanged, functions, refill);
    refill();
}

QStringList topLevelFunctions(const QString& source) {
    static const QRegularExpression def(
        QStringLiteral(R"(^(?:async[ \t]+)?def[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]*\()"),
        QRegularExpression::MultilineOption);
    QStringList names;
    for (auto it = def.globalMatch(source); it.hasNext();) {
        const QString name = it.next().captured(1);
        if (!names.contains(name)) names << name;
    }
    return names;
}

}  // namespace coreduel::ui
