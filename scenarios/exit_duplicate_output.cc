// exit() instead of _exit() after a failed exec: the command's process is a
// copy of the parent, stdio buffers included, and exit() flushes them, so
// output the parent had buffered (stdout to a pipe is fully buffered) is
// written twice. The hook here does not exist, so exec fails.
#include <cstdio>
#include <cstdlib>

#include "scenarios/spawner.h"

using namespace forksafe::scenarios;

int main(int argc, char** argv) {
  Spawner spawner = spawner_from_args(argc, argv);
  static char buffer[1 << 16];
  std::setvbuf(stdout, buffer, _IOFBF, sizeof buffer);  // as stdout to a pipe or file is
  std::printf("once: exit-duplicate-output: report header\n");

  forksafe::spawn::Options hook;
  hook.argv = {"forksafe-scenario-missing-hook", "--notify"};
  hook.in = hook.err = forksafe::spawn::Stdio::null();
  hook.out = forksafe::spawn::Stdio::inherit();  // the hook's output belongs to the user
  Window window;
  window.exit_after_failed_exec = std::exit;
  std::string error = run_in_background(spawner, hook, window);
  if (!error.empty()) std::fprintf(stderr, "hook did not start: %s\n", error.c_str());

  std::printf("once: exit-duplicate-output: report footer\n");
  return 0;
}
