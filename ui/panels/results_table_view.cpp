#include "ui/panels/results_table_view.h"

#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QKeyEvent>
#include <QSortFilterProxyModel>

#include "ui/panels/results_model.h"

namespace coreduel::ui {
namespace {

/// No column wider than this (a long label is cut with …, whole on hover).
constexpr int kWidestSectionPx = 190;
/// What the workers and speedup columns take beside the model label, at the window's font.
constexpr int kWorkersAndSpeedupPx = 195;

/// A table view whose Ctrl+C copies the selection as tab-separated text with headers, which
/// pastes into a spreadsheet as cells.
class CopyableTableView : public QTableView {
public:
    using QTableView::QTableView;

protected:
    void resizeEvent(QResizeEvent* event) override {
        QTableView::resizeEvent(event);
        // The model label (the first column) takes what the workers and the speedup beside it
        // leave: "py:processes/spawn (CPython 3.11)" at 190 px pushed the speedup's digits
        // under the scroll bar of a 1366-pixel screen's narrow dock (cut with …, whole on hover).
        const int room = viewport()->width() - kWorkersAndSpeedupPx;
        horizontalHeader()->setMaximumSectionSize(std::clamp(room, 110, kWidestSectionPx));
    }
    void keyPressEvent(QKeyEvent* event) override {
        if (event->matches(QKeySequence::Copy)) {
            copySelection();
            return;
        }
        QTableView::keyPressEvent(event);
    }

private:
    void copySelection() {
        QModelIndexList cells = selectionModel()->selectedIndexes();
        if (cells.isEmpty()) return;
        std::sort(cells.begin(), cells.end());
        int minCol = cells.front().column(), maxCol = minCol;
        for (const QModelIndex& c : cells) {
            minCol = std::min(minCol, c.column());
            maxCol = std::max(maxCol, c.column());
        }
        QStringList lines;
        QStringList header;
        for (int c = minCol; c <= maxCol; ++c) {
            header << model()->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString();
        }
        lines << header.join(QLatin1Char('\t'));
        int row = -1;
        QStringList line;
        for (const QModelIndex& c : cells) {
            if (c.row() != row) {
                if (row >= 0) lines << line.join(QLatin1Char('\t'));
                line = QStringList();
                for (int i = minCol; i <= maxCol; ++i) line << QString();
                row = c.row();
            }
            line[c.column() - minCol] = c.data(Qt::DisplayRole).toString();
        }
        lines << line.join(QLatin1Char('\t'));
        QApplication::clipboard()->setText(lines.join(QLatin1Char('\n')) + QLatin1Char('\n'));
    }
};

/// Sorts by the raw number (Qt::UserRole), not the text.
class NumericSortProxy : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

protected:
    bool lessThan(const QModelIndex& a, const QModelIndex& b) const override {
        const QVariant x = a.data(Qt::UserRole);
        const QVariant y = b.data(Qt::UserRole);
        if (!x.isValid()) return y.isValid();  // blanks first
        if (!y.isValid()) return false;
        return QVariant::compare(x, y) == QPartialOrdering::Less;
    }
};

}  // namespace

QTableView* makeResultsTableView(ResultsModel* model, QObject* parent) {
    auto* proxy = new NumericSortProxy(parent);
    proxy->setSourceModel(model);
    auto* table = new CopyableTableView;
    table->setModel(proxy);
    table->setSortingEnabled(true);
    table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    table->setAlternatingRowColors(true);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // No column wider than this: "py:processes/spawn (CPython 3.11)" pushed the speedup, the
    // third column, off a 1366-pixel screen (a long label is cut with …, whole on hover).
    table->horizontalHeader()->setMaximumSectionSize(kWidestSectionPx);
    table->setTextElideMode(Qt::ElideMiddle);
    table->setToolTip(
        QObject::tr("Every run with its unit; hover a header for how it was measured. "
                    "Ctrl+C copies the selection as tab-separated text."));
    return table;
}

}  // namespace coreduel::ui
