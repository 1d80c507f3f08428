// The ways of starting a command that `forksafe bench spawn` compares. Each
// starts /bin/true with stdio on /dev/null and returns when its call would
// return to the program; the caller reaps whatever is left afterwards.
#pragma once

#include <optional>
#include <span>

namespace forksafe::bench {

struct Strategy {
  const char* name;                 // "strategy" in the JSON (docs/formats.md)
  std::optional<bool> ensurestart;  // runbgcommand only
  const char* label;                // table column
  void (*spawn_true)();             // throws std::runtime_error when the spawn fails
};

std::span<const Strategy> spawn_strategies();

}  // namespace forksafe::bench
