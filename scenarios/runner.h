// The scenario matrix: every chosen scenario with every chosen spawner, one
// cell after another, nothing of a cell left running when the next starts.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "scenarios/cell.h"

namespace forksafe::scenarios {

struct MatrixSettings {
  std::vector<const Scenario*> scenarios;
  std::vector<std::string> spawners;  // "broken", "fixed"
  CellSettings cell;
};

// Where the scenario programs are: scenarios/ next to the running program
// (the build tree) or in ../lib/forksafe/scenarios (an installed copy); empty
// when in neither.
std::string default_programs_dir();

// Makes the caller a child subreaper, then runs the cells in order, calling
// on_cell after each.
std::vector<CellResult> run_matrix(const MatrixSettings& settings,
                                   const std::function<void(const CellResult&)>& on_cell);

}  // namespace forksafe::scenarios
