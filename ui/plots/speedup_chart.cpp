#include "ui/plots/speedup_chart.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "ui/model_names.h"
#include "ui/plots/interpreter_style.h"

namespace coreduel::ui {
namespace {

/// The numbers QCustomPlot picks, and 1 among them: where a model breaks even with the
/// sequential run, which tall interval bars would otherwise push off the tick marks (0, 2.5,
/// 5, …). A neighbour closer than half a step gives way to it, and the sub-ticks, which would
/// no longer be even, are left out.
class TickerWithOne : public QCPAxisTicker {
protected:
    QVector<double> createTickVector(double tickStep, const QCPRange& range) override {
        QVector<double> ticks = QCPAxisTicker::createTickVector(tickStep, range);
        m_inserted = false;
        const auto one = [](double t) { return std::fabs(t - 1.0) < 1e-9; };
        if (!range.contains(1.0) || std::any_of(ticks.begin(), ticks.end(), one)) return ticks;
        QVector<double> out;
        for (double t : ticks)
            if (std::fabs(t - 1.0) >= tickStep / 2 - 1e-9) out << t;
        out << 1.0;
        std::sort(out.begin(), out.end());
        m_inserted = true;
        return out;
    }
    QVector<double> createSubTickVector(int subTickCount, const QVector<double>& ticks) override {
        return m_inserted ? QVector<double>()
                          : QCPAxisTicker::createSubTickVector(subTickCount, ticks);
    }

private:
    bool m_inserted = false;
};

}  // namespace

SpeedupChart::SpeedupChart(QWidget* parent) : Chart(QStringLiteral("Speedup vs workers"), parent) {
    xAxis->setLabel(QStringLiteral("workers"));
    yAxis->setLabel(QStringLiteral("speedup [×]"));
    yAxis->setTicker(QSharedPointer<TickerWithOne>::create());
    placeLegendBelow(2);
    setSubtitle(QStringLiteral("no result yet"));
    rebuild();
}

void SpeedupChart::clearData() {
    m_result.reset();
    rebuild();
    requestReplot();
}

void SpeedupChart::setResult(const ExperimentResult& result) {
    m_result = result;
    rebuild();
    applyTheme(*this, theme());
    requestReplot();
}

void SpeedupChart::setBaseline(std::optional<ExperimentResult> baseline) {
    m_baseline = std::move(baseline);
    rebuild();
    applyTheme(*this, theme());
    requestReplot();
}

namespace {

/// What the pointer tells over a point: the analysis' numbers for that configuration.
QString pointText(const ConfigSummary& c, const Analysis& analysis, const QString& name,
                  const std::string& interpreter) {
    QString text = QStringLiteral("%1, %2 workers: speedup %3× over %4")
                       .arg(name)
                       .arg(c.workers)
                       .arg(c.speedup->value, 0, 'f', 2)
                       .arg(QString::fromLatin1(toString(baselineOf(c.model))));
    if (isPython(c.model))
        text += QStringLiteral("\nran in the real interpreter: %1")
                    .arg(QString::fromStdString(interpreter.empty() ? std::string("CPython")
                                                                    : interpreter));
    text += c.speedup->hasRange
                ? QStringLiteral("\n95 % interval %1–%2× (n = %3)")
                      .arg(c.speedup->low, 0, 'f', 2)
                      .arg(c.speedup->high, 0, 'f', 2)
                      .arg(c.wall.n)
                : QStringLiteral("\nno interval: %1 repetition(s), at least %2 needed")
                      .arg(c.wall.n)
                      .arg(kMinRepetitionsForInterval);
    if (c.intervalCapped)
        text += QStringLiteral(
                    "\nthe interval's upper end is cut at %1×, the most %2 "
                    "workers can reach here")
                    .arg(std::max(c.ideal, c.speedup->value), 0, 'f', 2)
                    .arg(c.workers);
    if (c.aboveIdeal)
        text += QStringLiteral(
                    "\n⚠ above the ideal %1× on %2 CPUs: noise or a slowed "
                    "baseline, not a gain of the model")
                    .arg(c.ideal, 0, 'f', 0)
                    .arg(analysis.cores);
    if (c.karpFlatt)
        text +=
            QStringLiteral("\nKarp–Flatt serial fraction %1 %").arg(100 * *c.karpFlatt, 0, 'f', 1);
    else if (!c.karpFlattNote.empty())
        text +=
            QStringLiteral("\nno Karp–Flatt fraction: ") + QString::fromStdString(c.karpFlattNote);
    if (c.efficiency)
        text += QStringLiteral("\nefficiency %1 %").arg(100 * c.efficiency->value, 0, 'f', 0);
    return text;
}

/// The legend entry of the models no law fits: their names while they are few.
QString noLawName(const QStringList& models) {
    return models.size() <= 2 ? QStringLiteral("no law fits: %1").arg(models.join(", "))
                              : QStringLiteral("no law fits %1 models").arg(models.size());
}

}  // namespace

void SpeedupChart::addUnfitted(const QString& name, bool faded, const QString& why) {
    auto* none = addGraph();
    none->setName(name);
    QColor c = theme().foreground;
    c.setAlpha(faded ? 60 : 160);
    // A cross, not a line: the ideal's dotted grey line was its twin in the legend.
    none->setPen(QPen(c, 1.5));
    none->setLineStyle(QCPGraph::lsNone);
    none->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCross, 8));
    m_notes[none] = why;
}

double SpeedupChart::drawFits(const ExperimentResult& r, bool faded, double& maxX) {
    const Theme& t = theme();
    const QString prefix = faded ? QStringLiteral("baseline: ") : QString();
    double maxPredicted = 0;
    // Fits: solid over the measured range, dashed for the prediction beyond it. The models
    // whose points no law describes share one legend entry (its hover says why for each): an
    // entry per model pushed the plot into a corner of a slide.
    QStringList unfitted, why;
    for (const ModelScaling& s : r.analysis.scaling) {
        // A serial fraction outside [0, 1] is not Amdahl-shaped (slower than sequential, or
        // superlinear): the analysis says so in words, the chart draws no curve.
        if (!s.fit.valid || s.fit.serialFraction > 1.0 || s.fit.serialFraction < -0.05) {
            const QString model = QString::fromStdString(r.analysis.name(s));
            unfitted << model;
            why << model + QStringLiteral(": ") +
                       (s.note.empty()
                            ? QStringLiteral("the fitted law does not describe these points.")
                            : QString::fromStdString(s.note));
            continue;
        }
        QColor color =
            interpreterStyle(t.modelColor(s.model), isPython(s.model) ? s.interpreter : 0U).color;
        color.setAlpha(faded ? 60 : 255);
        // Solid over the counts the fit used (up to the cores), dashed beyond: a prediction.
        double measuredMax = 1;
        double fittedMax = 1;
        const unsigned cores =
            std::max(1u, r.environment.allowedCpus > 0 ? r.environment.allowedCpus
                                                       : r.environment.logicalCpus);
        for (const ConfigSummary& c : r.analysis.configs) {
            if (c.model != s.model || c.python != s.python || !c.speedup) continue;
            measuredMax = std::max(measuredMax, double(c.workers));
            if (c.workers <= cores || s.weak) fittedMax = std::max(fittedMax, double(c.workers));
        }
        double predictMax = measuredMax;
        for (std::size_t i = 0; i < s.predicted.size() && i < 2; ++i) {
            predictMax = std::max(predictMax, double(s.predicted[i].first));
        }
        predictMax = std::min(predictMax, 2 * measuredMax);
        auto curve = [&](double p) {
            return s.weak ? gustafson(s.fit.serialFraction, p) : s.fit.predict(p);
        };
        auto* solid = addGraph();
        auto* dashed = addGraph();
        const QString law = s.weak ? QStringLiteral("Gustafson") : QStringLiteral("Amdahl");
        solid->setName(prefix + QStringLiteral("%2: %1 fit, serial %3 %")
                                    .arg(law)
                                    .arg(QString::fromStdString(r.analysis.name(s)))
                                    .arg(100 * s.fit.serialFraction, 0, 'f', 1));
        dashed->removeFromLegend();
        m_notes[solid] =
            QStringLiteral("%1 fit over %2 points: serial fraction %3 % ± %4 %%5")
                .arg(law)
                .arg(s.fit.points)
                .arg(100 * s.fit.serialFraction, 0, 'f', 1)
                .arg(100 * s.fit.standardError, 0, 'f', 1)
                .arg(s.note.empty() ? QString()
                                    : QStringLiteral("\n") + QString::fromStdString(s.note));
        solid->setPen(QPen(color, 1.5, Qt::SolidLine));
        dashed->setPen(QPen(color, 1.5, Qt::DashLine));
        for (double p = 1; p <= fittedMax + 1e-9; p += 0.25) solid->addData(p, curve(p));
        // Dashed: what the law predicts for more workers on this machine. Past its cores the
        // workers share them, so Amdahl's p stops at the core count: the curve goes flat
        // there, and points measured beyond the cores can be read against it. (What more cores
        // would give is in the analysis text and the report.)
        for (double p = fittedMax; p <= predictMax + 1e-9; p += 0.25)
            dashed->addData(p, curve(s.weak ? p : std::min(p, double(cores))));
        ++m_fits;
        if (dashed->dataCount() > 1) ++m_predictions;
        // The axis shows the prediction only up to twice the measured speedups, so the
        // measured points are never squashed into the bottom of the chart.
        maxPredicted = std::max(maxPredicted,
                                curve(s.weak ? predictMax : std::min(predictMax, double(cores))));
        maxX = std::max(maxX, predictMax);
    }
    if (!unfitted.isEmpty()) addUnfitted(prefix + noLawName(unfitted), faded, why.join('\n'));
    return maxPredicted;
}

int SpeedupChart::drawResult(const ExperimentResult& r, bool faded, double& maxX, double& maxY) {
    const Theme& t = theme();
    const int alpha = faded ? 80 : 255;
    const QString prefix = faded ? QStringLiteral("baseline: ") : QString();
    // One curve per (model, chunksize, interpreter) with measured speedups: each interpreter
    // of the experiment's axis is a family of its own, against its own py:sequential.
    using CurveKey = std::tuple<Model, std::size_t, unsigned>;
    std::map<CurveKey, std::vector<const ConfigSummary*>> curves;
    std::set<std::size_t> chunkValues;
    for (const ConfigSummary& c : r.analysis.configs) {
        if (isSequential(c.model) || !c.speedup) continue;
        curves[{c.model, c.chunksize, isPython(c.model) ? c.interpreter : 0U}].push_back(&c);
        chunkValues.insert(c.chunksize);
    }
    int drawn = 0;
    for (auto& [key, points] : curves) {
        const auto& [model, chunksize, family] = key;
        std::sort(points.begin(), points.end(),
                  [](auto* a, auto* b) { return a->workers < b->workers; });
        const bool python = isPython(model);
        const std::string interpreter = python ? interpreterOfSpec(r, points.front()->python) : "";
        const InterpreterStyle style = interpreterStyle(t.modelColor(model), family);
        QColor color = style.color;
        color.setAlpha(alpha);
        auto* g = addGraph();
        QString name = prefix + modelName(model, interpreter);
        if (chunkValues.size() > 1) {
            name += chunksize == 0 ? QStringLiteral(" (chunk auto)")
                                   : QStringLiteral(" (chunk %1)").arg(chunksize);
        }
        g->setName(name);
        // The real interpreter's curves: dashed, with hollow markers (a shape per interpreter),
        // so that they stay apart from the engine's in grey-scale print and for a reader who
        // cannot tell the colours.
        QPen pen(color, faded ? 2 : 3);
        if (python) markInterpreterPen(pen);
        g->setPen(pen);
        g->setScatterStyle(python ? QCPScatterStyle(style.shape, QPen(color, 2.5), t.background, 10)
                                  : QCPScatterStyle(QCPScatterStyle::ssDisc, color, color, 9));
        auto* bars = new QCPErrorBars(xAxis, yAxis);
        bars->removeFromLegend();
        bars->setDataPlottable(g);
        bars->setPen(QPen(color, 1.5));
        bars->setWhiskerWidth(10);
        for (const ConfigSummary* c : points) {
            g->addData(c->workers, c->speedup->value);
            // No bar where there is no interval (fewer than 3 repetitions): a zero-length
            // whisker would look like a very precise measurement.
            if (c->speedup->hasRange) {
                bars->addData(c->speedup->value - c->speedup->low,
                              c->speedup->high - c->speedup->value);
                ++m_intervals;
                if (c->intervalCapped) ++m_capped;
            } else {
                bars->addData(qQNaN(), qQNaN());
            }
            const QString text = pointText(*c, r.analysis, name, python ? interpreter : "");
            if (!faded) m_points.push_back({QPointF(c->workers, c->speedup->value), text});
            maxX = std::max(maxX, static_cast<double>(c->workers));
            // Intervals are cut at what the configuration can reach (the analysis), so the
            // axis can hold every bar whole.
            maxY = std::max(maxY, c->speedup->hasRange ? c->speedup->high : c->speedup->value);
        }
        ++drawn;
    }
    const double maxPredicted = drawFits(r, faded, maxX);
    maxY = std::max(maxY, std::min(maxPredicted, 2 * maxY));
    return drawn;
}

void SpeedupChart::rebuild() {
    clearGraphs();
    clearPlottables();
    clearItems();
    const Theme& t = theme();
    double maxX = 2, maxY = 2;
    m_measuredCurves = 0;
    m_intervals = 0;
    m_capped = 0;
    m_fits = 0;
    m_predictions = 0;
    m_points.clear();
    m_notes.clear();
    if (m_baseline) drawResult(*m_baseline, true, maxX, maxY);
    if (m_result) m_measuredCurves = drawResult(*m_result, false, maxX, maxY);

    // Ideal speedup = workers.
    auto* ideal = addGraph();
    ideal->setName(QStringLiteral("ideal (speedup = workers)"));
    ideal->setPen(QPen(t.subtle, 1.5, Qt::DotLine));
    ideal->addData(0, 0);
    ideal->addData(maxX + 1, maxX + 1);

    // The machine's cores: past this line, speedup can only come from waiting, not computing.
    unsigned cores = 0;
    unsigned physical = 0;
    if (m_result) {
        cores = m_result->environment.logicalCpus;
        physical = m_result->environment.physicalCores;
    }
    if (cores > 0) {
        auto* line = new QCPItemStraightLine(this);
        line->setPen(QPen(t.subtle, 1.5, Qt::DashDotLine));
        // Beneath the data: a point or interval bar at this worker count stays readable.
        line->setLayer(QStringLiteral("grid"));
        line->point1->setCoords(cores, 0);
        line->point2->setCoords(cores, 1);
        auto* label = new QCPItemText(this);
        label->setPositionAlignment(Qt::AlignTop | Qt::AlignLeft);
        label->position->setTypeX(QCPItemPosition::ptPlotCoords);
        label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        label->position->setCoords(cores, 0.02);
        label->setPadding(QMargins(4, 0, 0, 0));
        label->setFont(chartFont(10));
        label->setColor(t.subtle);
        label->setText(
            physical > 0 && physical != cores
                ? QStringLiteral("%1 logical CPUs\n(%2 physical cores)").arg(cores).arg(physical)
                : QStringLiteral("%1 cores").arg(cores));
        maxX = std::max(maxX, static_cast<double>(cores) + 0.5);
    }
    xAxis->setRange(0.5, maxX + 0.5);
    yAxis->setRange(0, std::max(2.0, maxY * 1.25));
    auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
    ticker->setTickStep(maxX <= 16 ? 1 : (maxX <= 64 ? 4 : 16));
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    xAxis->setTicker(ticker);

    // The axis title stays short enough never to be cut; what speedup means is said here.
    QString sub = QStringLiteral("speedup = mean sequential wall / mean wall; ");
    if (m_result && anyPython(*m_result))
        sub = QStringLiteral(
            "speedup = mean sequential wall / mean wall; hollow markers: real CPython, over "
            "py:sequential; ");
    // A bar whose top is the ideal was cut there: said, or it reads as measured.
    sub += m_intervals == 0 ? QStringLiteral("no interval bars: fewer than 3 repetitions")
           : m_capped > 0 ? QStringLiteral("bars: 95 % interval (3+ repetitions; cut at the ideal)")
                          : QStringLiteral("bars: 95 % interval (3+ repetitions)");
    // Only what is drawn: a subtitle that explains a fitted law no model has says something
    // false, and takes the line a short chart needs.
    if (m_predictions > 0)
        sub += QStringLiteral(
            "; thin: fitted law, dashed: its prediction on this machine (not measured)");
    else if (m_fits > 0)
        sub += QStringLiteral("; thin: fitted law");
    if (!m_result) sub = QStringLiteral("no result yet — press Run");
    setSubtitle(sub);
}

QString SpeedupChart::valueAt(const QPoint& pos) const {
    for (const auto& [plottable, note] : m_notes) {
        if (auto* item = legend->itemWithPlottable(plottable);
            item != nullptr && item->realVisibility() && item->outerRect().contains(pos))
            return note;
    }
    // The nearest measured point within a few pixels.
    const Point* best = nullptr;
    double bestDistance = 12;
    for (const Point& p : m_points) {
        const double d = std::hypot(xAxis->coordToPixel(p.at.x()) - pos.x(),
                                    yAxis->coordToPixel(p.at.y()) - pos.y());
        if (d < bestDistance) {
            bestDistance = d;
            best = &p;
        }
    }
    return best != nullptr ? best->text : QString();
}

}  // namespace coreduel::ui
