// The bench spawn table, laid out like the seed table of DESIGN.md, and the
// ratios the targets are stated in.
#include <algorithm>
#include <cstdio>
#include <string>

#include "bench/spawn_bench.h"
#include "bench/spawn_strategies.h"

namespace forksafe::bench {
namespace {

std::string format(const char* pattern, auto... values) {
  char line[256];
  std::snprintf(line, sizeof line, pattern, values...);
  return line;
}

double median_of(const std::vector<SpawnRecord>& records, const Strategy& strategy, double size) {
  for (const auto& r : records) {
    if (r.strategy == strategy.name && r.ensurestart == strategy.ensurestart && r.size_gib == size) return r.ms_median;
  }
  return -1;
}

}  // namespace

std::string spawn_table(const std::vector<SpawnRecord>& records) {
  if (records.empty()) return "";
  auto strategies = spawn_strategies();
  std::vector<double> sizes;
  for (const auto& r : records) {
    if (std::find(sizes.begin(), sizes.end(), r.size_gib) == sizes.end()) sizes.push_back(r.size_gib);
  }
  int fewest_runs = std::min_element(records.begin(), records.end(), [](const auto& a, const auto& b) {
                      return a.runs < b.runs;
                    })->runs;
  std::string table = format("ms per spawn of /bin/true (median of at least %d runs), by resident heap size\n\n",
                             fewest_runs);
  table += format("%8s", "heap GiB");
  for (const auto& s : strategies) table += format("  %15s", s.label);
  table += "\n";
  for (double size : sizes) {
    table += format("%8.1f", size);
    for (const auto& s : strategies) table += format("  %15.3f", median_of(records, s, size));
    table += "\n";
  }

  const Strategy& runbg_ensurestart = strategies[0];
  const Strategy& fixed = strategies[4];
  const Strategy& detached = strategies[5];
  double smallest = *std::min_element(sizes.begin(), sizes.end());
  double largest = *std::max_element(sizes.begin(), sizes.end());
  double slowest_detached = 0, fastest_detached_run = 1e9;
  for (const auto& r : records) {
    if (r.strategy != detached.name) continue;
    slowest_detached = std::max(slowest_detached, r.ms_median);
    fastest_detached_run = std::min(fastest_detached_run, r.ms_min);
  }
  table += "\n";
  if (largest > smallest) {
    table += format("fixed at %.1f GiB / fixed at %.1f GiB: %.2fx (target: at most 1.3x)\n", largest, smallest,
                    median_of(records, fixed, largest) / median_of(records, fixed, smallest));
  }
  table += format("runbgcommand ensurestart=True / fixed at %.1f GiB: %.0fx (target: at least 100x at 1 GiB)\n",
                  largest, median_of(records, runbg_ensurestart, largest) / median_of(records, fixed, largest));
  table += format("fixed-detached, slowest median: %.3f ms (target: under 0.5 ms); fastest run: %.3f ms\n",
                  slowest_detached, fastest_detached_run);
  const Strategy& setsid_reference = strategies[6];
  table += format("fixed-detached / posix_spawn+setsid at %.1f GiB: %.2fx (a new session costs both)\n", largest,
                  median_of(records, detached, largest) / median_of(records, setsid_reference, largest));
  return table;
}

}  // namespace forksafe::bench
