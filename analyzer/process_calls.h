// Library functions that matter to a fork-to-exec window, by name: those after
// which the process is gone, those that exit through atexit, exec (which
// returns when it fails: what follows is still in the window), the fork
// family, and the calls that make a translation unit "code that spawns".
#pragma once

#include <string>

namespace forksafe::analyzer {

bool ends_process(const std::string& name);
bool is_exit(const std::string& name);
bool is_exec(const std::string& name);
// fork, vfork, _Fork, forkpty (a fork with a pseudo-terminal), forkfd (Qt's
// fork with a process descriptor): the name; anything else: "".
std::string fork_kind(const std::string& name);
// What a fork of that kind returns in the child: forkfd's FFD_CHILD_PROCESS is -2.
inline long long child_value_of(const std::string& kind) { return kind == "forkfd" ? -2 : 0; }

inline constexpr const char* kSpawnCalls[] = {"fork", "vfork", "_Fork", "forkpty", "clone", "posix_spawn", "posix_spawnp",
                                             "popen", "system", "execl", "execle", "execlp", "execv",
                                             "execve", "execvp", "execvpe", "fexecve"};
bool is_spawn_call(const std::string& name);

}  // namespace forksafe::analyzer
