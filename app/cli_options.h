#pragma once

#include <cstdint>
// Command-line definition of an experiment, shared by coreduel-cli and the coreduel demo.

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "core/run/experiment.h"

namespace coreduel::app {

struct ExperimentFlags {
    std::string file;
    std::string workload = "primes";
    std::vector<std::string> params;
    std::string models = "all";
    std::string workers = "1,2";
    std::string startMethod = "spawn";
    std::string chunksize = "0";
    std::string schedule = "dynamic";
    unsigned repetitions = 1;
    unsigned warmups = 0;
    std::uint64_t seed = 0;
    double gilIntervalMs = 5.0;
    bool gilReleased = false;
    double timeoutSeconds = 0;
    std::string transport = "pipe";
    std::size_t payload = 0;
    bool weak = false;
    std::string python;
    std::string mpirun;
    std::string hostfile;
    double sampleHz = 20;
};

void addExperimentOptions(CLI::App& cmd, ExperimentFlags& f);
/// The experiment from the file given with -f (if any), with every flag the user typed laid
/// over it. Throws InvalidArgument / FileFormatError for anything that cannot be meant.
Experiment toExperiment(const CLI::App& cmd, const ExperimentFlags& f);

}  // namespace coreduel::app
