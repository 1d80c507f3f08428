#include "injector/launcher/environment.h"

#include <map>

namespace forksafe::launcher {

std::vector<std::string> injector_environment(const std::vector<std::string>& env,
                                              const InjectorOptions& options, const std::string& library) {
  std::map<std::string, std::string> ours = {
      {"FORKSAFE_LOG", options.log_path},
      {"FORKSAFE_COUNTS", options.counts_path},
      {"FORKSAFE_INHERITED_FDS", options.inherited_fds},
      {"FORKSAFE_GC_AT", options.gc_at},
      {"FORKSAFE_GC_SYMBOL", options.gc_symbol},
      {"FORKSAFE_TIMEOUT", std::to_string(options.timeout_seconds)},
      {"FORKSAFE_WATCHDOG", options.watchdog_kills ? "kill" : "report"},
  };
  std::string preload = library;
  std::vector<std::string> out;
  for (const std::string& entry : env) {
    std::string name = entry.substr(0, entry.find('='));
    if (name == "LD_PRELOAD") {
      std::string existing = entry.substr(name.size() + 1);
      if (!existing.empty()) preload = existing + ":" + library;
    } else if (!ours.count(name)) {
      out.push_back(entry);
    }
  }
  out.push_back("LD_PRELOAD=" + preload);
  for (const auto& [name, value] : ours) out.push_back(name + "=" + value);
  return out;
}

}  // namespace forksafe::launcher
