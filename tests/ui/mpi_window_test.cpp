// The mpi model in the window: the panel's "Message passing (Open MPI)" group round-trips the
// model, the launcher and the hostfile, and says why it cannot run; the per-core strip shows
// every host of a hostfile run as lanes of its own, and adds nothing for this machine alone.

#include <gtest/gtest.h>
#include <unistd.h>

#include <QCheckBox>
#include <QLineEdit>

#include "core/exec/mpi_executor.h"
#include "ui/panels/experiment_panel.h"
#include "ui/plots/core_heat_chart.h"

using namespace coreduel;
using namespace coreduel::ui;

namespace {

MpiRunInfo twoHosts(const std::string& hostfile, std::uint32_t cores) {
    MpiRunInfo m;
    m.hostfile = hostfile;
    for (const char* host : {"alpha", "beta"}) {
        HostUtilization h;
        h.host = host;
        h.cores = cores;
        for (int i = 1; i <= 3; ++i) {
            h.timeNs.push_back(i * 50'000'000);
            h.windowNs.push_back(50'000'000);
            h.busy.push_back(std::vector<float>(cores, 0.5f));
        }
        m.hosts.push_back(std::move(h));
    }
    return m;
}

}  // namespace

TEST(MpiPanel, RoundTripsTheModelTheLauncherAndTheHostfile) {
    ExperimentPanel panel;
    ASSERT_NE(panel.modelBox(Model::Mpi), nullptr);
    EXPECT_FALSE(panel.modelBox(Model::Mpi)->isChecked());  // off: it needs Open MPI
    Experiment e = ExperimentPanel::defaultExperiment();
    e.models = {Model::Sequential, Model::Processes, Model::Mpi};
    e.mpirun = "/usr/bin/mpirun";
    e.hostfile = "";
    panel.setExperiment(e);
    EXPECT_TRUE(panel.modelBox(Model::Mpi)->isChecked());
    auto* mpirun = panel.findChild<QLineEdit*>(QStringLiteral("mpirun"));
    auto* hostfile = panel.findChild<QLineEdit*>(QStringLiteral("hostfile"));
    ASSERT_NE(mpirun, nullptr);
    ASSERT_NE(hostfile, nullptr);
    EXPECT_EQ(mpirun->text(), QStringLiteral("/usr/bin/mpirun"));
    if (mpiUnavailableReason(e.mpirun).empty()) {
        const Experiment back = panel.experiment();
        EXPECT_NE(std::find(back.models.begin(), back.models.end(), Model::Mpi), back.models.end());
        EXPECT_EQ(back.mpirun, "/usr/bin/mpirun");
    }
    // A launcher that is not there: the field says so, and nothing can run.
    mpirun->setText(QStringLiteral("/nonexistent/mpirun"));
    EXPECT_NE(panel.validationError().indexOf(QStringLiteral("/nonexistent/mpirun")), -1)
        << panel.validationError().toStdString();
    // An unreadable hostfile, likewise.
    mpirun->setText(QString());
    hostfile->setText(QStringLiteral("/nonexistent/hosts"));
    if (mpiUnavailableReason().empty()) {
        EXPECT_NE(panel.validationError().indexOf(QStringLiteral("/nonexistent/hosts")), -1)
            << panel.validationError().toStdString();
    }
}

TEST(MpiHeatStrip, EveryHostOfAHostfileRunGetsItsOwnLanes) {
    CoreHeatChart chart;
    chart.resize(800, 400);
    chart.setOrigin(0);
    chart.addHostSamples(twoHosts("", 4));  // this machine only: its cores are already there
    EXPECT_EQ(chart.hostLaneCount(), 0);
    chart.addHostSamples(twoHosts("/etc/hosts.mpi", 4));
    EXPECT_EQ(chart.hostLaneCount(), 8);
    chart.addHostSamples(twoHosts("/etc/hosts.mpi", 4));  // a second run: the same lanes
    EXPECT_EQ(chart.hostLaneCount(), 8);
    chart.clearData();
    EXPECT_EQ(chart.hostLaneCount(), 0);
}
