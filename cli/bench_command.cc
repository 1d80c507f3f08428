// forksafe bench JOB: one benchmark per sub-job name.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string_view>

#include "bench/spawn_bench.h"
#include "cli/command.h"
#include "common/output_file.h"

namespace po = boost::program_options;

namespace forksafe::cli {
namespace {

// "0,0.5,1": every item a finite size >= 0; an empty list or item is an error.
std::vector<double> sizes_from(const std::string& list) {
  if (list.empty()) throw UsageError("--sizes: give at least one size");
  std::vector<double> sizes;
  for (size_t begin = 0; begin <= list.size();) {
    size_t end = std::min(list.find(',', begin), list.size());
    std::string item = list.substr(begin, end - begin);
    size_t used = 0;
    double size = -1;
    try {
      size = std::stod(item, &used);
    } catch (const std::exception&) {
    }
    if (used != item.size() || !(size >= 0) || !std::isfinite(size)) {
      throw UsageError("--sizes: '" + item + "' is not a size in GiB");
    }
    sizes.push_back(size);
    begin = end + 1;
  }
  return sizes;
}

// What the machine can still make resident, from /proc/meminfo.
double available_gib() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  double kib = 0;
  while (meminfo >> key >> kib) {
    if (key == "MemAvailable:") return kib / (1 << 20);
    meminfo.ignore(256, '\n');
  }
  return 0;
}

int bench_spawn_command(int argc, char** argv) {
  std::string sizes_text, output;
  int runs = 0;
  bool pretty = false;
  po::options_description options("options");
  options.add_options()
      ("sizes", po::value(&sizes_text)->default_value("0,0.2,0.5,1"), "resident heap sizes in GiB, comma-separated")
      ("runs", po::value(&runs)->default_value(10), "timed spawns per strategy and size, at least (more while they span under 2 s)")
      ("output,o", po::value(&output), "write the records as JSON (docs/formats.md) to FILE")
      ("pretty", po::bool_switch(&pretty), "indent the JSON (default: compact)");
  std::optional<int> exit_now;
  auto given = parse_options(argc, argv, options, {},
                "forksafe bench spawn [--sizes 0,0.2,0.5,1] [--runs N] [-o FILE.json]\n\n"
                "Milliseconds per spawn of /bin/true with a resident heap of each size, for\n"
                "runbgcommand (ensurestart true and false), fork-exec, posix_spawn, and the\n"
                "fixed spawner attached and detached.",
                &exit_now);
  if (exit_now) return *exit_now;
  bench::SpawnBenchSettings settings;
  settings.sizes_gib = sizes_from(sizes_text);
  settings.runs = runs;
  if (runs < 1) throw UsageError("--runs must be at least 1");
  double largest = *std::max_element(settings.sizes_gib.begin(), settings.sizes_gib.end());
  if (largest > 0.9 * available_gib()) {
    throw UsageError("--sizes: " + std::to_string(largest) + " GiB is more than this machine has available");
  }
  if (given.count("output") && output.empty()) throw UsageError("-o needs a file name");
  check_output_writable(output);  // before the long run

  auto records = bench::bench_spawn(settings);
  std::cout << bench::spawn_table(records);
  nlohmann::json json = nlohmann::json::array();
  for (const auto& r : records) json.push_back(bench::to_json(r));
  if (!output.empty()) write_output(output, [&](std::ostream& out) { dump_json(out, json, pretty); });
  return kExitClean;
}

struct BenchJob {
  const char* name;
  const char* summary;
  int (*run)(int argc, char** argv);  // argv[0] is the job name
};

const BenchJob kBenchJobs[] = {
    {"spawn", "spawn latency against resident heap size, old and fixed spawners", bench_spawn_command},
};

void print_help() {
  std::cout << "usage: forksafe bench JOB [ARGS...]\n\njobs:\n";
  for (const auto& job : kBenchJobs) std::printf("  %-10s%s\n", job.name, job.summary);
  std::cout << "\n'forksafe bench JOB --help' describes a job.\n";
}

}  // namespace

int bench_command(int argc, char** argv) {
  if (argc < 2) throw UsageError("which benchmark? (see 'forksafe bench --help')");
  std::string_view job_name = argv[1];
  if (job_name == "--help" || job_name == "-h") {
    print_help();
    return kExitClean;
  }
  for (const auto& job : kBenchJobs) {
    if (job_name == job.name) return job.run(argc - 1, argv + 1);
  }
  throw UsageError("unknown benchmark '" + std::string(job_name) + "' (see 'forksafe bench --help')");
}

}  // namespace forksafe::cli
