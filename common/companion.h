// Files that ship beside the forksafe binary: the injector library and the
// analyzer program.
#pragma once

#include <string>

namespace forksafe {

// `name` next to the running program (the build tree), or where
// `cmake --install` puts it relative to bin/ (../lib/forksafe, ../lib);
// empty when it is in none of them.
std::string find_companion(const std::string& name);

}  // namespace forksafe
