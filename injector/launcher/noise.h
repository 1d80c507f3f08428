// What is not the program's: descriptors that were open before `forksafe run`
// started (the CI runner's, ctest's log, the shell's), and findings with no
// frame in the user's code (--source-root: dash's own allocations, ctest).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/finding.h"

namespace forksafe::launcher {

// This process's descriptors above 2 and their /proc/self/fd targets. Read
// first thing, before the launcher opens anything of its own.
std::map<int, std::string> open_descriptors();

// The same descriptors for the injector, which leaves their leaks out at the
// source (FORKSAFE_INHERITED_FDS, injector/lib/fds.c): "fd:dev:ino:kind,...",
// kind 'o' for a pipe or socket (one object under any number), else 'f'.
std::string inherited_fds_value(const std::map<int, std::string>& at_start);

// Whether f is the runtime-leaked-fd of a descriptor that was already open
// at start (the same descriptor and target, or the same pipe or socket under
// another number).
bool is_inherited_leak(const Finding& f, const std::map<int, std::string>& at_start);

// The records a finding stands for (properties "count", else 1).
size_t records_of(const Finding& f);

// Findings with no frame under root become notes (properties
// "outside_source_root"); the others are reported at their innermost frame
// under root. Returns how many became notes.
size_t keep_to_source_root(std::vector<Finding>* findings, const std::string& root);

}  // namespace forksafe::launcher
