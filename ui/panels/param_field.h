#pragma once
// One workload parameter's editor in the experiment panel: the line edit the panel reads and
// validates, in a row with what helps to fill it in. A path gets a Browse… button (a folder
// for `dir`, a Python file, a shared library); a Python function's name is an editable list
// of the functions its file defines at top level, read from the file as text: choosing one
// never imports the file (no user code runs before Run asks).

#include <QString>
#include <QStringList>
#include <map>
#include <string>
#include <vector>

#include "core/workloads/params.h"

class QComboBox;
class QLineEdit;
class QWidget;

namespace coreduel::ui {

struct ParamField {
    QWidget* widget = nullptr;       ///< what goes in the form (the edit, or a row around it)
    QLineEdit* edit = nullptr;       ///< the parameter's text
    QComboBox* functions = nullptr;  ///< a Python function's chooser, when this is one
};

ParamField makeParamField(const std::string& workload, const ParamSpec& spec, QWidget* parent);

/// A native kernel's own parameters, which only the kernel can check: one line of
/// "key=value" pairs separated by spaces (as `-p key=value` in the CLI).
QLineEdit* makeKernelParamsField(QWidget* parent);
/// The pairs of that line; throws InvalidArgument naming a piece that is not key=value.
std::map<std::string, std::string> parseKernelParams(const QString& text);
/// The pairs of `params` that `declared` does not name (the kernel's), as that line.
QString kernelParamsText(const std::map<std::string, std::string>& params,
                         const std::vector<ParamSpec>& declared);

/// The function list follows the file field: filled from the file whenever its path changes.
void followFile(QLineEdit* file, QComboBox* functions);

/// The names of the functions `source` defines at top level (`def` or `async def` at the
/// start of a line), in file order. Those under `if __name__ == "__main__":` are indented and
/// not listed, as a pool worker could not import them either.
QStringList topLevelFunctions(const QString& source);

}  // namespace coreduel::ui
