// Starting programs from the launcher, the way forksafe tells others to:
// posix_spawn, so no code runs between fork and exec.
#pragma once

#include <string>
#include <vector>

namespace forksafe::launcher {

// Runs argv with environment env and waits. Returns the exit status, or
// 128 + the signal number when it was killed; -1 when it could not start.
int spawn_and_wait(const std::vector<std::string>& argv, const std::vector<std::string>& env);

// Like spawn_and_wait, and the caller becomes the subreaper of argv's
// descendants: those still running when argv ends (double-forked background
// commands) are waited for too, up to grace_seconds more. *still_running
// counts those that outlived the grace.
int spawn_and_wait_for_descendants(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                                   int grace_seconds, int* still_running);

// Runs argv with input on its standard input and returns its standard output
// (stderr is discarded); nullopt-like empty result with *ok = false when it
// could not start or failed.
std::string capture_output(const std::vector<std::string>& argv, const std::string& input, bool* ok);

}  // namespace forksafe::launcher
