// `forksafe bench spawn`: milliseconds per spawn of /bin/true for each
// strategy, with a resident heap of each size (allocated and touched) in the
// spawning process. Figures, never pass/fail.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace forksafe::bench {

struct SpawnBenchSettings {
  std::vector<double> sizes_gib = {0, 0.2, 0.5, 1};
  int runs = 10;  // timed spawns per strategy and size, after one untimed
};

struct SpawnRecord {
  std::string strategy;
  std::optional<bool> ensurestart;
  double size_gib = 0;
  double ms_median = 0, ms_min = 0, ms_max = 0;
  int runs = 0;
};

// Makes the caller a child subreaper (the detached commands come back to it
// to be reaped) and measures; strategies take turns within each round so
// that they are compared side by side.
std::vector<SpawnRecord> bench_spawn(const SpawnBenchSettings& settings);

nlohmann::json to_json(const SpawnRecord& record);  // docs/formats.md

// The table (one row per heap size, one column per strategy) and the ratios
// the targets are stated in.
std::string spawn_table(const std::vector<SpawnRecord>& records);

}  // namespace forksafe::bench
