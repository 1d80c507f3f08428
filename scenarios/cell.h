// One cell of the matrix: one scenario program run with one spawner, judged
// from outside, with every process it started killed afterwards.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "scenarios/catalog.h"

namespace forksafe::scenarios {

struct CellSettings {
  std::string programs_dir;       // where the scenario programs are
  double timeout_seconds = 2.0;   // no exit by then: the cell is stuck
  std::vector<std::string> wrap;  // prefix for the command, e.g. {"forksafe", "run", "--"}
};

struct CellResult {
  std::string scenario, spawner, expected, outcome, detail;
  bool passed = false;
  bool injected = false;  // ran under a wrapper, or the runner under `forksafe run`
  double seconds = 0;
};

// Runs the cell. The caller must be a child subreaper with no other children:
// every descendant left at the end belongs to the cell and is killed.
CellResult run_cell(const Scenario& scenario, const std::string& spawner, const CellSettings& settings);

// The environment variable naming a cell ("<runner pid>:<scenario>:<spawner>")
// in each of its processes, so that anyone can find them in /proc.
inline constexpr const char* kCellVariable = "FORKSAFE_CELL";

nlohmann::json to_json(const CellResult& result);  // docs/formats.md

}  // namespace forksafe::scenarios
