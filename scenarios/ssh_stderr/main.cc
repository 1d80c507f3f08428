// The seed deadlock (Mercurial D9019). A command leaves an ssh Peer unclosed;
// the "commandfinish" log hook then starts a background command. With the
// broken spawner, the first child opens /dev/null, the allocation triggers a
// collection, and the Peer's finalizer runs in the child: it closes the
// child's copy of ssh's stdin and waits for EOF on ssh's stderr. ssh never
// sees EOF on stdin (the parent still holds it), the parent waits for the
// child: deadlock. The fixed spawner runs no code in the child.
#include <cstdio>

#include "scenarios/spawner.h"
#include "scenarios/ssh_stderr/gc_runtime.h"
#include "scenarios/ssh_stderr/peer.h"

using namespace forksafe::scenarios;

namespace {

struct WorkObject : Collectable {
  void finalize() override {}
};

void command(Runtime& runtime) {
  Peer* peer = runtime.make<Peer>(program_dir() + "/fake-ssh");
  runtime.drop(peer);  // left unclosed: only the collector will clean it up
  // The command works on; a long run leaves the allocation counter anywhere,
  // here one short of the next collection.
  while (runtime.allocations_before_collection() > 1) runtime.make<WorkObject>();
}

void commandfinish_hook(Spawner spawner, Runtime& runtime) {
  forksafe::spawn::Options log_command;
  log_command.argv = {"/bin/true"};
  log_command.in = log_command.out = log_command.err = forksafe::spawn::Stdio::null();
  Window window;
  window.open_devnull = [&](const char* path) { return runtime.open(path, O_RDWR); };
  std::string error = run_in_background(spawner, log_command, window);
  if (!error.empty()) std::fprintf(stderr, "commandfinish hook: %s\n", error.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  Spawner spawner = spawner_from_args(argc, argv);
  Runtime runtime(10);
  command(runtime);
  commandfinish_hook(spawner, runtime);
  std::printf("once: ssh-stderr: command finished\n");
  std::fflush(stdout);
  runtime.shut_down();
  return 0;
}
