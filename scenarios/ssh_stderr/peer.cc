#include "scenarios/ssh_stderr/peer.h"

#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>

#include "spawn/spawn.h"

namespace forksafe::scenarios {

Peer::Peer(const std::string& ssh_program) {
  spawn::Options options;
  options.argv = {ssh_program, "remote-host", "hg", "-R", "repo", "serve", "--stdio"};
  options.in = options.out = options.err = spawn::Stdio::pipe();
  auto started = spawn::spawn(options);
  if (!started) throw std::runtime_error("cannot start ssh: " + started.message());
  pid_ = started.child.pid;
  stdin_ = started.child.in;
  stdout_ = started.child.out;
  stderr_ = started.child.err;
}

void Peer::finalize() {
  close(stdin_);
  char buffer[512];
  while (read(stderr_, buffer, sizeof buffer) > 0) {
  }
  close(stderr_);
  close(stdout_);
  waitpid(pid_, nullptr, 0);  // fails harmlessly in a forked child: ssh is not its child
}

}  // namespace forksafe::scenarios
