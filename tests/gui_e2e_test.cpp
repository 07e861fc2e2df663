// The real `coreduel` binary, driven from its command line as a user or a script would: under
// xvfb-run (a real X server), and with no display at all (offscreen fallback).

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Outcome {
    int status = -1;
    std::string output;
};

Outcome shell(const std::string& command) {
    Outcome o;
    FILE* p = ::popen((command + " 2>&1").c_str(), "r");
    if (p == nullptr) return o;
    char buffer[4096];
    while (std::size_t n = std::fread(buffer, 1, sizeof buffer, p)) o.output.append(buffer, n);
    const int raw = ::pclose(p);
    o.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    return o;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// Width and height from a PNG's IHDR chunk (big-endian at bytes 16..23).
std::pair<unsigned, unsigned> pngSize(const std::string& png) {
    if (png.size() < 24 || png.compare(1, 3, "PNG") != 0) return {0, 0};
    auto be = [&](std::size_t at) {
        return (unsigned(static_cast<unsigned char>(png[at])) << 24) |
               (unsigned(static_cast<unsigned char>(png[at + 1])) << 16) |
               (unsigned(static_cast<unsigned char>(png[at + 2])) << 8) |
               unsigned(static_cast<unsigned char>(png[at + 3]));
    };
    return {be(16), be(20)};
}

class GuiEndToEnd : public ::testing::Test {
protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() /
                ("coreduel-e2e-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(m_dir);
        std::ofstream(m_dir / "exp.json")
            << R"({"schema": "coreduel.experiment/1", "workload": "primes",
                  "params": {"end": "400000", "tasks": "64"},
                  "models": ["threads", "gil-threads", "processes"], "workers": [1, 2]})";
    }
    void TearDown() override { fs::remove_all(m_dir); }
    std::string path(const char* name) const { return (m_dir / name).string(); }
    fs::path m_dir;
};

}  // namespace

TEST_F(GuiEndToEnd, RunsAnExperimentFileUnderXvfbAndWritesReportAndScreenshot) {
    if (shell("command -v xvfb-run").status != 0) GTEST_SKIP() << "xvfb-run is not installed";
    const Outcome o =
        shell("xvfb-run -a -s '-screen 0 1920x1080x24' " COREDUEL_GUI_PATH " --run " +
              path("exp.json") + " --export-report " + path("out.pdf") + " --screenshot " +
              path("shot.png") + " --show timeline --quit-when-done");
    ASSERT_EQ(o.status, 0) << o.output;
    const std::string pdf = slurp(path("out.pdf"));
    EXPECT_EQ(pdf.rfind("%PDF", 0), 0u);
    EXPECT_NE(pdf.find("%%EOF"), std::string::npos);
    const auto [w, h] = pngSize(slurp(path("shot.png")));
    EXPECT_GE(w, 800u) << o.output;
    EXPECT_GE(h, 500u) << o.output;
    EXPECT_NE(o.output.find("stalled at most"), std::string::npos) << o.output;
}

TEST_F(GuiEndToEnd, WithoutADisplayItRunsOffscreenAndWritesAnHtmlReport) {
    const Outcome o =
        shell("env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM " COREDUEL_GUI_PATH " --run " +
              path("exp.json") + " --export-report " + path("out.html") + " --quit-when-done");
    ASSERT_EQ(o.status, 0) << o.output;
    const std::string html = slurp(path("out.html"));
    EXPECT_NE(html.find("data:image/png;base64,"), std::string::npos);
    EXPECT_NE(html.find("</html>"), std::string::npos);
}

TEST_F(GuiEndToEnd, ABadExperimentFileFailsWithItsLocation) {
    std::ofstream(m_dir / "bad.json") << R"({"schema": "coreduel.experiment/1", "workers": [0]})";
    const Outcome o = shell("env -u DISPLAY " COREDUEL_GUI_PATH " --run " + path("bad.json") +
                            " --export-report " + path("r.pdf") + " --quit-when-done");
    EXPECT_EQ(o.status, 2) << o.output;
    EXPECT_NE(o.output.find("bad.json"), std::string::npos) << o.output;
    EXPECT_FALSE(fs::exists(path("r.pdf")));
}

TEST_F(GuiEndToEnd, RefusesAReportFormatItCannotWrite) {
    const Outcome o = shell(COREDUEL_GUI_PATH " --run " + path("exp.json") + " --export-report " +
                            path("r.docx") + " --quit-when-done");
    EXPECT_EQ(o.status, 2) << o.output;
    EXPECT_NE(o.output.find(".pdf or .html"), std::string::npos) << o.output;
}

TEST_F(GuiEndToEnd, RunsALessonInPresentationModeAndWritesItsHandout) {
    const Outcome o =
        shell("env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM " COREDUEL_GUI_PATH
              " --lesson io-bound --quick --present --export-handout " +
              path("handout.pdf") + " --screenshot " + path("present.png") + " --quit-when-done");
    ASSERT_EQ(o.status, 0) << o.output;
    const std::string pdf = slurp(path("handout.pdf"));
    EXPECT_EQ(pdf.rfind("%PDF", 0), 0u);
    const auto [w, h] = pngSize(slurp(path("present.png")));
    EXPECT_GE(w, 800u) << o.output;
    EXPECT_GE(h, 400u) << o.output;
    const Outcome bad = shell(COREDUEL_GUI_PATH " --lesson no-such-lesson --quit-when-done");
    EXPECT_EQ(bad.status, 2) << bad.output;
    EXPECT_NE(bad.output.find("no lesson 'no-such-lesson'"), std::string::npos) << bad.output;
}

TEST_F(GuiEndToEnd, WritesEveryChartAtTheAskedSizeAndRefusesBadSizes) {
    fs::create_directories(m_dir / "charts");
    const Outcome o =
        shell("env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM " COREDUEL_GUI_PATH " --run " +
              path("exp.json") + " --export-charts " + path("charts") +
              " --export-size 1366x768 --quit-when-done");
    ASSERT_EQ(o.status, 0) << o.output;
    // The charts a run fills (the IPC lab's stays empty: not written).
    std::vector<std::string> names;
    for (const auto& f : fs::directory_iterator(m_dir / "charts")) {
        names.push_back(f.path().filename().string());
        const auto [w, h] = pngSize(slurp(f.path()));
        EXPECT_EQ(w, 1366u) << f.path();
        EXPECT_EQ(h, 768u) << f.path();
    }
    std::sort(names.begin(), names.end());
    for (const char* chart : {"cores", "timeline", "speedup", "breakdown", "resources"}) {
        EXPECT_TRUE(std::any_of(names.begin(), names.end(),
                                [&](const std::string& n) { return n.rfind(chart, 0) == 0; }))
            << chart << " missing from " << ::testing::PrintToString(names);
    }
    EXPECT_FALSE(std::any_of(names.begin(), names.end(),
                             [](const std::string& n) { return n.rfind("ipc", 0) == 0; }));
    // Before anything runs: a size that is not WxH, a folder that is not there, the lab
    // beside a run.
    for (const std::string& bad :
         {" --export-charts " + path("charts") + " --export-size 1366",
          " --export-charts " + path("missing") + " --export-size 1366x768",
          std::string(" --ipc-lab")}) {
        const Outcome refused =
            shell(COREDUEL_GUI_PATH " --run " + path("exp.json") + bad + " --quit-when-done");
        EXPECT_EQ(refused.status, 2) << bad << ": " << refused.output;
    }
}
