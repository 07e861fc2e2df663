#include "ui/report/report_markup.h"

#include <algorithm>

namespace coreduel::ui {

QString htmlText(const QString& plain) {
    return plain.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>"));
}

namespace {

/// Column widths in percent, from what the columns hold: a column gets room for its longest
/// word (so no word is broken) and, up to a limit, for its longest line. Left to itself,
/// QTextDocument shares the width out nearly evenly and breaks words in narrow columns.
std::vector<int> columnPercents(const ReportTable& t) {
    const int columns = t.keyValue ? 2 : static_cast<int>(t.header.size());
    if (columns == 0) return {};
    std::vector<double> need(static_cast<std::size_t>(columns), 1);
    auto measure = [&](int c, const QString& text, bool header) {
        double longestWord = 0, longestLine = 0;
        for (const QString& line : text.split(QLatin1Char('\n'))) {
            longestLine = std::max<double>(longestLine, line.size());
            for (const QString& word : line.split(QLatin1Char(' ')))
                longestWord = std::max<double>(longestWord, word.size() * (header ? 1.1 : 1.0));
        }
        auto& n = need[static_cast<std::size_t>(c)];
        n = std::max({n, longestWord, header ? 0.0 : std::min(longestLine, 26.0)});
    };
    if (!t.keyValue) {
        for (int c = 0; c < columns; ++c) measure(c, t.header[c], true);
    }
    for (const QStringList& row : t.rows)
        for (int c = 0; c < std::min<int>(columns, row.size()); ++c) measure(c, row[c], false);
    if (t.keyValue) need[1] = std::max(need[1], need[0] * 2.2);  // the values get the room
    double sum = 0;
    for (double& n : need) sum += n + 1.5;  // cell padding
    std::vector<int> percents;
    for (double n : need) percents.push_back(std::max(3, static_cast<int>(100 * (n + 1.5) / sum)));
    return percents;
}

}  // namespace

QString tableHtml(const ReportTable& t, std::size_t from, std::size_t to, bool withNote,
                  bool continued, bool forPrint) {
    // Only key: value tables get widths; in data tables the columns size themselves to their
    // longest word (the renderers wrap at word boundaries only).
    const std::vector<int> widths = t.keyValue ? columnPercents(t) : std::vector<int>{};
    auto width = [&](int column) {
        const auto c = static_cast<std::size_t>(column);
        return c < widths.size() ? QStringLiteral(" width=\"%1%\"").arg(widths[c]) : QString();
    };
    QString html;
    if (continued) {
        html += QStringLiteral("<p class=\"cont\" style=\"color:#555555\"><i>(continued)</i></p>");
    }
    html += QStringLiteral(
        "<table class=\"data\" width=\"100%\" cellspacing=\"0\" cellpadding=\"3\" border=\"0\">");
    auto align = [&](int column) {
        const auto c = static_cast<std::size_t>(column);
        return c < t.rightAligned.size() && t.rightAligned[c] ? QStringLiteral(" align=\"right\"")
                                                              : QString();
    };
    if (!t.keyValue && !t.header.isEmpty()) {
        html += QStringLiteral("<thead><tr>");
        for (int i = 0; i < t.header.size(); ++i) {
            html += QStringLiteral("<th bgcolor=\"#dfe5ee\" valign=\"bottom\"%1%2>%3</th>")
                        .arg(align(i), width(i), htmlText(t.header[i]));
        }
        html += QStringLiteral("</tr></thead>");
    }
    html += QStringLiteral("<tbody>");
    to = std::min(to, t.rows.size());
    for (std::size_t r = from; r < to; ++r) {
        const QStringList& row = t.rows[r];
        const QString bg = r % 2 == 1 ? QStringLiteral(" bgcolor=\"#f3f5f8\"") : QString();
        html += QStringLiteral("<tr%1>").arg(bg);
        for (int i = 0; i < row.size(); ++i) {
            // Widths on the first row too: a table without a header takes them from there.
            const QString w = r == from ? width(i) : QString();
            if (t.keyValue && i == 0) {
                html +=
                    QStringLiteral("<td valign=\"top\"%1><b>%2</b></td>").arg(w, htmlText(row[i]));
            } else {
                // Numbers never wrap: Qt breaks a squeezed "0.0016" after its point unless a
                // word joiner (U+2060) follows it (a browser is told by the style sheet).
                QString cell = htmlText(row[i]);
                if (forPrint && !align(i).isEmpty())
                    cell.replace(QLatin1Char('.'), QStringLiteral(".\u2060"));
                html += QStringLiteral("<td valign=\"top\"%1%2>%3</td>").arg(align(i), w, cell);
            }
        }
        html += QStringLiteral("</tr>");
    }
    html += QStringLiteral("</tbody></table>");
    if (withNote && !t.note.isEmpty()) {
        html += QStringLiteral("<p class=\"note\" style=\"color:#444444\">%1</p>")
                    .arg(htmlText(t.note));
    }
    return html;
}

QString blockHtml(const ReportBlock& b) {
    QString html;
    if (b.kind == ReportBlock::Kind::Bullets) {
        html += QStringLiteral("<ul>");
        for (const QString& item : b.text)
            html += QStringLiteral("<li>%1</li>").arg(htmlText(item));
        html += QStringLiteral("</ul>");
    } else {
        for (const QString& p : b.text) html += QStringLiteral("<p>%1</p>").arg(htmlText(p));
    }
    return html;
}

}  // namespace coreduel::ui
