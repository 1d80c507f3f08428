#include "scenarios/catalog.h"

namespace forksafe::scenarios {

std::span<const Scenario> catalog() {
  static const Scenario kScenarios[] = {
      {"ssh-stderr", "forksafe-scenario-ssh-stderr", "deadlock",
       "a GC finalizer in the child closes ssh's stdin and waits for its stderr"},
      {"lock-held", "forksafe-scenario-lock-held", "deadlock",
       "the child takes the program's log mutex, held by a thread absent in the child"},
      {"exit-duplicate-output", "forksafe-scenario-exit-duplicate-output", "duplicate-output",
       "exit() after a failed exec flushes the parent's buffered stdout again"},
      {"inherited-pipe", "forksafe-scenario-inherited-pipe", "leaked-fd",
       "a background server inherits a pipe's write end; the reader never sees EOF"},
      {"static-destructor", "forksafe-scenario-static-destructor", "deadlock",
       "exit() in the child runs a destructor waiting for a thread absent in the child"},
  };
  return kScenarios;
}

const Scenario* find_scenario(std::string_view name) {
  for (const auto& s : catalog()) {
    if (name == s.name) return &s;
  }
  return nullptr;
}

}  // namespace forksafe::scenarios
