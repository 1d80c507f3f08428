// An inherited pipe end keeps a reader waiting for EOF. The program collects
// a helper's progress through a pipe made without O_CLOEXEC, and meanwhile
// starts a long-lived background server. fork+exec hands the server both
// ends; after the program closes its write end, the server's copy still
// keeps the pipe open and the reader never sees EOF. The fixed spawner closes
// every descriptor but 0, 1 and 2 in the child.
#include <unistd.h>

#include <cstdio>
#include <thread>

#include "scenarios/spawner.h"

using namespace forksafe::scenarios;

int main(int argc, char** argv) {
  Spawner spawner = spawner_from_args(argc, argv);
  int progress[2];
  if (pipe(progress) != 0) return 1;  // no O_CLOEXEC: the program's oversight
  std::thread reader([&] {
    char buffer[256];
    while (read(progress[0], buffer, sizeof buffer) > 0) {
    }
  });

  forksafe::spawn::Options server;
  server.argv = {"/bin/sleep", "60"};
  server.in = server.out = server.err = forksafe::spawn::Stdio::null();
  std::string error = run_in_background(spawner, server, {});
  if (!error.empty()) std::fprintf(stderr, "server did not start: %s\n", error.c_str());

  (void)!write(progress[1], "100%\n", 5);
  close(progress[1]);
  reader.join();  // returns at EOF, once every write end is closed
  std::printf("once: inherited-pipe: done\n");
  return 0;
}
