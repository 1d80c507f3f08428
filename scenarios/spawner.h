// The two ways a scenario program starts its background command: the broken
// one (fork, then code, then exec, as Mercurial's runbgcommand did before
// D9019) and the fixed one (forksafe::spawn).
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <functional>
#include <string>

#include "spawn/spawn.h"

namespace forksafe::scenarios {

enum class Spawner { broken, fixed };

// Reads the program's one argument, --spawner=broken|fixed; prints a usage
// line and exits 2 on anything else.
Spawner spawner_from_args(int argc, char** argv);

// What the broken spawner runs between fork and exec: each scenario puts its
// class of bug here. The defaults are runbgcommand's own steps.
struct Window {
  // Runs in the first child right after setsid() (e.g. a log line).
  std::function<void()> after_setsid;
  // Opens /dev/null for the command's stdio (a runtime may allocate here).
  std::function<int(const char* path)> open_devnull = [](const char* path) { return open(path, O_RDWR); };
  // How the command's process leaves when execvp failed.
  void (*exit_after_failed_exec)(int) = _exit;
  // How the first child leaves once it has forked the command.
  void (*exit_first_child)(int) = _exit;
};

// Mercurial's runbgcommand before D9019, in C++: fork, setsid, window code,
// open /dev/null, fork, exec, _exit. With ensurestart it waits for the first
// child and returns -1; without, it returns the first child's pid at once
// (the caller reaps it). Descriptors are inherited as fork+exec inherits them.
pid_t broken_run_in_background(const spawn::Options& command, const Window& window, bool ensurestart);

// Starts `command` in the background and returns once it has started
// (ensurestart=True). Broken: broken_run_in_background. Fixed: spawn_detached,
// no code in the window. Returns "" or why the command did not start (the
// broken way cannot tell).
std::string run_in_background(Spawner spawner, const spawn::Options& command, const Window& window = {});

// The directory of the running executable (where its helper programs are).
std::string program_dir();

}  // namespace forksafe::scenarios
