// How `forksafe run` hands its options to libforksafe_inject.so: through the
// environment, which every descendant inherits.
#pragma once

#include <string>
#include <vector>

namespace forksafe::launcher {

struct InjectorOptions {
  std::string gc_at = "auto";  // auto, fork, fd, alloc, exec or none
  std::string gc_symbol;       // a function every child calls, found with dlsym
  int timeout_seconds = 10;    // watchdog; 0 turns it off
  bool watchdog_kills = true;  // false: report only
  std::string log_path;        // absolute: children may change directory
  std::string counts_path;     // absolute; records written and lost (injector/lib/record.c)
  std::string inherited_fds;   // the descriptors open at start (inherited_fds_value in noise.h)
};

// env with LD_PRELOAD (the library appended to any existing value) and the
// FORKSAFE_* variables set, replacing earlier values of those.
std::vector<std::string> injector_environment(const std::vector<std::string>& env,
                                              const InjectorOptions& options, const std::string& library);

}  // namespace forksafe::launcher
