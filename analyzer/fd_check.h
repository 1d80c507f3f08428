// fd-no-cloexec: calls that create a descriptor children would inherit.
#pragma once

#include <optional>
#include <string>

#include "analyzer/ast_tree.h"

namespace forksafe::analyzer {

struct FdProblem {
  std::string function;  // the creating call, e.g. "pipe"
  std::string advice;    // what to call instead, e.g. "pipe2(fds, O_CLOEXEC)"
};

// The problem with a CallExpr, when it creates a descriptor without
// close-on-exec. Flags that are not compile-time constants are not judged.
std::optional<FdProblem> fd_problem(const Node& call);

// Calls that make a translation unit "code that spawns".
inline constexpr const char* kSpawnCalls[] = {"fork", "vfork", "_Fork", "clone", "posix_spawn", "posix_spawnp",
                                             "popen", "system", "execl", "execle", "execlp", "execv",
                                             "execve", "execvp", "execvpe", "fexecve"};
bool is_spawn_call(const std::string& name);

}  // namespace forksafe::analyzer
