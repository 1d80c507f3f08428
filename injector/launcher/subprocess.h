// Starting programs from the launcher, the way forksafe tells others to:
// posix_spawn, so no code runs between fork and exec.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace forksafe::launcher {

struct Supervision {
  int grace_seconds = 0;       // how long descendants that outlive the command are waited for
  std::function<void()> tick;  // every quarter second without another event (the tree watch)
  std::function<bool()> settled;  // once the command ended: true when no descendant needs waiting for
  int interrupted_by = 0;      // out: SIGINT, SIGTERM, SIGHUP or SIGQUIT received, else 0
  int still_running = 0;       // out: descendants still running at the end
};

// Runs argv with environment env, as the subreaper of its descendants, until
// it and they end (those that outlive it: double-forked background commands,
// up to grace_seconds more, or until settled() says none needs it). An interrupt sent to the launcher alone is
// forwarded to every process of the tree, and the wait for descendants then
// ends within 2 s. Returns the command's exit status, or 128 + the signal
// number when it was killed; -1 when it could not start.
int supervise(const std::vector<std::string>& argv, const std::vector<std::string>& env, Supervision* s);

// Runs argv with input on its standard input and returns its standard output
// (stderr is discarded); nullopt-like empty result with *ok = false when it
// could not start or failed.
std::string capture_output(const std::vector<std::string>& argv, const std::string& input, bool* ok);

}  // namespace forksafe::launcher
