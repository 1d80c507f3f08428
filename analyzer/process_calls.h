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
// fork, vfork, _Fork, forkpty (a fork with a pseudo-terminal): the name; anything else: "".
std::string fork_kind(const std::string& name);

inline constexpr const char* kSpawnCalls[] = {"fork", "vfork", "_Fork", "forkpty", "clone", "posix_spawn", "posix_spawnp",
                                             "popen", "system", "execl", "execle", "execlp", "execv",
                                             "execve", "execvp", "execvpe", "fexecve"};
bool is_spawn_call(const std::string& name);

}  // namespace forksafe::analyzer
