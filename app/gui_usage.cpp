#include "app/gui_usage.h"

namespace coreduel::app {

const char* guiUsage() {
    return "usage: coreduel [FILE] [options]\n"
           "Opens the CoreDuel window. FILE: an experiment, a saved result or a session to open.\n"
           "  --run EXPERIMENT.json   run this experiment at once\n"
           "  --export-report FILE    when it is done, write a report (.pdf or .html)\n"
           "  --export-result FILE    when it is done, write the result (.json .csv .md .html\n"
           "                          .txt, as coreduel-cli run -o): what the window measured\n"
           "  --screenshot FILE.png   when it is done, save the main window as PNG\n"
           "  --show CHART            raise a chart first: cores, timeline, speedup, breakdown,\n"
           "                          resources, ipc, table\n"
           "  --lesson NAME           select a lesson (see coreduel-cli lesson) and run it at "
           "once\n"
           "  --quick                 with --lesson: the reduced size\n"
           "  --present               with --lesson: in presentation mode (the screenshot shows "
           "it)\n"
           "  --export-handout FILE   with --lesson: when it is done, write its one-page PDF\n"
           "  --baseline FILE         a saved result or session drawn behind every chart and\n"
           "                          compared in the table\n"
           "  --timeline-run N        show run N (counted from 1, as in the run list) on the "
           "timeline\n"
           "  --part N                a lesson's session (FILE): show part N (from 1); with\n"
           "                          --export-report, report that part only (else every part)\n"
           "  --quit-when-done        exit when the run and the exports are done (status 0 when\n"
           "                          every run verified, 1 otherwise)\n"
           "  --theme light|dark      chart and window colours\n"
           "  --headless              run the text demo even with a display\n"
           "  --version               print the version and exit\n"
           "Without a display (no DISPLAY or WAYLAND_DISPLAY) and without --run it runs the text\n"
           "demo: primes and sleep under every model. For scripted runs see coreduel-cli.\n";
}

}  // namespace coreduel::app
