#include "core/report/mpi_json.h"

#include "core/report/schema.h"

namespace coreduel {

using nlohmann::json;

json mpiToJson(const MpiRunInfo& m) {
    json ranks = json::array();
    for (const auto& r : m.ranks)
        ranks.push_back({{"rank", r.rank},
                         {"host", r.host},
                         {"pid", r.pid},
                         {"shared_clock", r.sharedClock},
                         {"clock_offset_ns", r.offsetNs},
                         {"clock_uncertainty_ns", r.uncertaintyNs},
                         {"end_clock_offset_ns", r.endOffsetNs},
                         {"end_clock_uncertainty_ns", r.endUncertaintyNs}});
    json hosts = json::array();
    for (const auto& h : m.hosts)
        hosts.push_back({{"host", h.host},
                         {"sampled_by_rank", h.rank},
                         {"cores", h.cores},
                         {"time_ns", h.timeNs},
                         {"window_ns", h.windowNs},
                         {"busy", h.busy}});
    return {{"mpirun", m.mpirun},
            {"hostfile", m.hostfile},
            {"launch_seconds", static_cast<double>(m.launchNs) / 1e9},
            {"ranks", std::move(ranks)},
            {"hosts", std::move(hosts)}};
}

MpiRunInfo mpiFromJson(const json& j, const std::string& where) {
    try {
        MpiRunInfo m;
        m.mpirun = j.value("mpirun", "");
        m.hostfile = j.value("hostfile", "");
        m.launchNs = static_cast<std::int64_t>(j.value("launch_seconds", 0.0) * 1e9);
        for (const auto& r : j.value("ranks", json::array())) {
            MpiRank x;
            x.rank = r.at("rank").get<std::uint32_t>();
            x.host = r.value("host", "");
            x.pid = r.value("pid", 0);
            x.sharedClock = r.value("shared_clock", false);
            x.offsetNs = r.value("clock_offset_ns", std::int64_t{0});
            x.uncertaintyNs = r.value("clock_uncertainty_ns", std::int64_t{0});
            x.endOffsetNs = r.value("end_clock_offset_ns", std::int64_t{0});
            x.endUncertaintyNs = r.value("end_clock_uncertainty_ns", std::int64_t{0});
            m.ranks.push_back(std::move(x));
        }
        for (const auto& h : j.value("hosts", json::array())) {
            HostUtilization u;
            u.host = h.value("host", "");
            u.rank = h.value("sampled_by_rank", 0u);
            u.cores = h.value("cores", 0u);
            u.timeNs = h.value("time_ns", std::vector<std::int64_t>{});
            u.windowNs = h.value("window_ns", std::vector<std::int64_t>{});
            u.busy = h.value("busy", std::vector<std::vector<float>>{});
            if (u.busy.size() != u.timeNs.size() || u.windowNs.size() != u.timeNs.size())
                throw FileFormatError(where + ": mpi/hosts: " + u.host +
                                      ": time_ns, window_ns and busy differ in length");
            for (const auto& s : u.busy)
                if (s.size() != u.cores)
                    throw FileFormatError(where + ": mpi/hosts: " + u.host +
                                          ": a sample has the wrong number of cores");
            m.hosts.push_back(std::move(u));
        }
        return m;
    } catch (const json::exception& e) {
        throw FileFormatError(where + ": mpi: " + e.what());
    }
}

}  // namespace coreduel
