#include "scenarios/ssh_stderr/gc_runtime.h"

#include <fcntl.h>

#include <algorithm>

namespace forksafe::scenarios {

void Runtime::drop(Collectable* object) {
  auto it = std::find_if(live_.begin(), live_.end(), [&](const auto& p) { return p.get() == object; });
  if (it == live_.end()) return;
  garbage_.push_back(std::move(*it));
  live_.erase(it);
}

void Runtime::allocated() {
  if (++count_ >= threshold_) collect();
}

int Runtime::open(const char* path, int flags) {
  allocated();
  return ::open(path, flags);
}

void Runtime::collect() {
  count_ = 0;
  auto garbage = std::move(garbage_);
  garbage_.clear();
  for (auto& object : garbage) object->finalize();
}

void Runtime::shut_down() {
  for (auto& object : live_) garbage_.push_back(std::move(object));
  live_.clear();
  collect();
}

}  // namespace forksafe::scenarios
