#pragma once
// The results table: sorts by the raw numbers, and Ctrl+C copies the selection as
// tab-separated text with its headers, which pastes into a spreadsheet as cells.

#include <QTableView>

namespace coreduel::ui {

class ResultsModel;

/// A sortable, copyable view of `model`.
QTableView* makeResultsTableView(ResultsModel* model, QObject* parent);

}  // namespace coreduel::ui
