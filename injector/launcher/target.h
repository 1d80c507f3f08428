// The program `forksafe run` starts, and the injector it loads into it.
#pragma once

#include <string>

namespace forksafe::launcher {

// The path execvp would run for name (searching PATH when it has no slash);
// empty when there is none.
std::string resolve_program(const std::string& name);

// Why LD_PRELOAD cannot work for this program (statically linked, or
// set-user-ID/set-group-ID to someone else, so the loader ignores it); empty
// when it can. A script is judged by its interpreter.
std::string preload_obstacle(const std::string& program);

}  // namespace forksafe::launcher
