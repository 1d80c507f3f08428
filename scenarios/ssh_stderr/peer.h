// Like Mercurial's sshpeer: a connection to a remote through an ssh process,
// owning ssh's stdin, stdout and stderr pipes.
#pragma once

#include <sys/types.h>

#include <string>

#include "scenarios/ssh_stderr/gc_runtime.h"

namespace forksafe::scenarios {

class Peer : public Collectable {
 public:
  explicit Peer(const std::string& ssh_program);
  // The cleanup sshpeer runs when it is closed or collected: close ssh's
  // stdin (ssh then finishes) and read what ssh still has to say on stderr,
  // to its end.
  void finalize() override;

 private:
  pid_t pid_ = -1;
  int stdin_ = -1, stdout_ = -1, stderr_ = -1;
};

}  // namespace forksafe::scenarios
