// A small, deterministic stand-in for libFuzzer (no clang needed): reads seed files, then
// feeds LLVMFuzzerTestOneInput the seeds and N mutations of them made with a seeded PRNG, so
// every run tries the same inputs and a failure can be replayed. Mutations are both byte-level
// (flip, insert, delete, duplicate, splice, dictionary tokens) and structural (a parsed seed
// with one value replaced by a value of another type, a key dropped, an array grown), because
// byte noise alone rarely gets past the JSON syntax check.
//
//   parsers_fuzz [--runs N] [--seed S] [--max-seconds T] [--crash-dir D] [--keep-going]
//                SEED_FILE_OR_DIR...
//
// An input that throws anything but the documented errors, or takes longer than five seconds (a
// hang), is written to the crash folder (the current one by default) and ends the run with
// status 1. Replay one input: parsers_fuzz --runs 0 crash-N.json

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::vector<std::string> kTokens = {"\"",
                                          "{",
                                          "}",
                                          "[",
                                          "]",
                                          ",",
                                          ":",
                                          "null",
                                          "true",
                                          "false",
                                          "-1",
                                          "0",
                                          "1e999",
                                          "-0.0",
                                          "4294967296",
                                          "18446744073709551616",
                                          "1e308",
                                          "0.5",
                                          "\"\"",
                                          "\"threads\"",
                                          "\"1-8\"",
                                          "\"all\"",
                                          "\\u0000",
                                          "{x@99999999999999999999:threads:2}",
                                          "{speedup@0:threads:cores}",
                                          "{param:end}",
                                          "{fit:processes}",
                                          "{pyspeedup@2}",
                                          "{summary@2:threads:2}",
                                          "\"python\"",
                                          "\"parts\"",
                                          "\"experiment\"",
                                          "\"quick\"",
                                          "\"workers\"",
                                          "\"params\"",
                                          "\"checksum\"",
                                          "\"zz\"",
                                          "\"schema\"",
                                          "\"coreduel.result/1\"",
                                          "\"coreduel.lesson/1\""};

json randomValue(std::mt19937_64& rng, const json& like) {
    switch (rng() % 14) {
        case 0:
            return nullptr;
        case 1:
            return rng() % 2 == 0;
        case 2:
            return -static_cast<std::int64_t>(rng() % 1000);
        case 3:
            return rng();  // large unsigned
        case 4:
            return std::uniform_real_distribution<double>(-1e12, 1e12)(rng);
        case 5:
            return 1e308;
        case 6:
            return "x" + std::to_string(rng() % 100);
        case 7:
            return json::array({1, "a", nullptr});
        case 8:
            return json::object({{"k", 1}});
        case 9:
            return "ff" + std::string(rng() % 40, 'f');  // a checksum beyond 64 bits
        case 10:
            return kTokens[rng() % kTokens.size()];
        case 11:
            return rng() % 600;
        case 12:
            return json::array();
        default:
            return like.is_number() ? json(like.get<double>() * -3.5) : json("");
    }
}

/// Replaces, removes or grows one randomly chosen value inside `j`.
void mutateTree(json& j, std::mt19937_64& rng, int depth = 0) {
    if ((j.is_object() || j.is_array()) && !j.empty() && depth < 12 && rng() % 4 != 0) {
        auto it = j.begin();
        std::advance(it, static_cast<long>(rng() % j.size()));
        if (rng() % 8 == 0) {
            if (j.is_object())
                j.erase(it.key());
            else
                j.erase(it);
            return;
        }
        mutateTree(*it, rng, depth + 1);
        return;
    }
    if (j.is_array() && rng() % 2 == 0) {
        const json copy = j.empty() ? json(1) : j[rng() % j.size()];
        for (int i = 0, n = 1 + static_cast<int>(rng() % 3); i < n; ++i) j.push_back(copy);
        return;
    }
    if (j.is_object() && rng() % 2 == 0) {
        j[kTokens[rng() % kTokens.size()]] = randomValue(rng, j);
        return;
    }
    j = randomValue(rng, j);
}

std::string mutateBytes(std::string s, const std::vector<std::string>& seeds,
                        std::mt19937_64& rng) {
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
        const std::size_t at = s.empty() ? 0 : rng() % (s.size() + 1);
        switch (rng() % 6) {
            case 0:
                if (!s.empty() && at < s.size())
                    s[at] = static_cast<char>(s[at] ^ (1u << (rng() % 8)));
                break;
            case 1:
                s.insert(at, 1, static_cast<char>(rng() % 256));
                break;
            case 2:
                s.erase(at, rng() % 16);
                break;
            case 3: {
                const std::size_t len = rng() % 64;
                if (at < s.size()) s.insert(at, s.substr(at, len));
                break;
            }
            case 4:
                s.insert(at, kTokens[rng() % kTokens.size()]);
                break;
            default: {  // splice: the head of this one, the tail of another seed
                const std::string& other = seeds[rng() % seeds.size()];
                const std::size_t from = other.empty() ? 0 : rng() % other.size();
                s = s.substr(0, at) + other.substr(from);
            }
        }
    }
    if (s.size() > 16 * 1024) s.resize(16 * 1024);  // larger than any seed
    return s;
}

std::string readFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

int main(int argc, char** argv) {
    // Its messages name the target it was linked with (parsers_fuzz, session_fuzz).
    const std::string self = argc > 0 ? fs::path(argv[0]).filename().string() : "fuzz";
    const char* name = self.c_str();
    long runs = 20000;
    std::uint64_t seed = 1;
    double maxSeconds = 300;
    fs::path crashDir = ".";
    bool keepGoing = false;  // --keep-going: list every distinct failure instead of the first
    std::map<std::string, long> failures;
    std::vector<std::string> seeds;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--runs" && i + 1 < argc)
            runs = std::atol(argv[++i]);
        else if (a == "--seed" && i + 1 < argc)
            seed = std::strtoull(argv[++i], nullptr, 10);
        else if (a == "--max-seconds" && i + 1 < argc)
            maxSeconds = std::atof(argv[++i]);
        else if (a == "--crash-dir" && i + 1 < argc)
            crashDir = argv[++i];
        else if (a == "--keep-going")
            keepGoing = true;
        else if (fs::is_directory(a)) {
            std::vector<fs::path> files;
            for (const auto& e : fs::directory_iterator(a))
                if (e.is_regular_file()) files.push_back(e.path());
            std::sort(files.begin(), files.end());  // the same order on every machine
            for (const auto& f : files) seeds.push_back(readFile(f));
        } else if (fs::is_regular_file(a)) {
            seeds.push_back(readFile(a));
        } else {
            std::fprintf(stderr, "%s: no such seed file or folder: %s\n", name, a.c_str());
            return 2;
        }
    }
    if (seeds.empty()) seeds.push_back("{}");
    std::vector<json> trees;
    for (const auto& s : seeds) {
        json j = json::parse(s, nullptr, false);
        if (!j.is_discarded()) trees.push_back(std::move(j));
    }

    std::mt19937_64 rng(seed);
    const auto started = std::chrono::steady_clock::now();
    long done = 0;
    double slowest = 0;
    for (long n = -static_cast<long>(seeds.size()); n < runs; ++n) {
        std::string input;
        if (n < 0) {
            input = seeds[static_cast<std::size_t>(n + static_cast<long>(seeds.size()))];
        } else if (!trees.empty() && rng() % 2 == 0) {
            json j = trees[rng() % trees.size()];
            for (int k = 0, m = 1 + static_cast<int>(rng() % 3); k < m; ++k) mutateTree(j, rng);
            input = j.dump(rng() % 2 == 0 ? -1 : 2);
        } else {
            input = mutateBytes(seeds[rng() % seeds.size()], seeds, rng);
        }
        // CPU time, not wall time: on a busy CI machine an input may wait long for a core, but
        // only a parser that loops burns seconds of CPU on one small input.
        const std::clock_t t0 = std::clock();
        std::string failure;
        try {
            LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()),
                                   input.size());
        } catch (const std::exception& e) {
            failure = std::string("undocumented exception: ") + typeid(e).name() + ": " + e.what();
        } catch (...) {
            failure = "undocumented exception of a non-std type";
        }
        const double took = static_cast<double>(std::clock() - t0) / CLOCKS_PER_SEC;
        slowest = std::max(slowest, took);
        if (failure.empty() && took > 5.0) failure = "took " + std::to_string(took) + " s of CPU";
        if (!failure.empty()) {
            const fs::path out = crashDir / ("crash-" + std::to_string(n) + ".json");
            std::ofstream(out, std::ios::binary) << input;
            std::fprintf(stderr, "%s: input %ld (seed %llu): %s\n  saved as %s\n", name, n,
                         static_cast<unsigned long long>(seed), failure.c_str(), out.c_str());
            if (!keepGoing) return 1;
            ++failures[failure.substr(0, 160)];
        }
        ++done;
        if (std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() >
            maxSeconds) {
            break;
        }
    }
    std::printf("%s: %ld inputs (%zu seeds, seed %llu) in %.1f s, slowest %.3f s CPU\n", name, done,
                seeds.size(), static_cast<unsigned long long>(seed),
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
                slowest);
    for (const auto& [what, count] : failures) std::printf("%6ld x %s\n", count, what.c_str());
    return failures.empty() ? 0 : 1;
}
