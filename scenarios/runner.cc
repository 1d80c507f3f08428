#include "scenarios/runner.h"

#include <sys/prctl.h>

#include <filesystem>

#include "common/companion.h"

namespace forksafe::scenarios {

std::string default_programs_dir() {
  std::string fake_ssh = find_companion("scenarios/fake-ssh");
  return fake_ssh.empty() ? "" : std::filesystem::path(fake_ssh).parent_path().string();
}

std::vector<CellResult> run_matrix(const MatrixSettings& settings,
                                   const std::function<void(const CellResult&)>& on_cell) {
  // Double-forked, setsid()'d processes escape a process group but not a
  // subreaper: they stay our descendants, to be found and killed.
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  std::vector<CellResult> results;
  for (const Scenario* scenario : settings.scenarios) {
    for (const auto& spawner : settings.spawners) {
      results.push_back(run_cell(*scenario, spawner, settings.cell));
      on_cell(results.back());
    }
  }
  return results;
}

}  // namespace forksafe::scenarios
