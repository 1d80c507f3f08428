// The scenarios the runner knows: one program each, and what its broken
// spawner shows (the fixed spawner always expects "ok").
#pragma once

#include <span>
#include <string_view>

namespace forksafe::scenarios {

struct Scenario {
  const char* name;
  const char* program;          // in <build>/scenarios/
  const char* broken_outcome;   // what --spawner=broken shows
  const char* summary;
};

std::span<const Scenario> catalog();
const Scenario* find_scenario(std::string_view name);  // nullptr when unknown

}  // namespace forksafe::scenarios
