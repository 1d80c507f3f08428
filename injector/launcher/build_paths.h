// Debug paths made relative by the build. Debian's flags map the build's
// directory to "." (-ffile-prefix-map=DIR=.), so a frame of the user's code
// reads "./build/./src/a.c": the compile directory ("./build") joined to the
// source's own ("./src"), both relative to a directory the binary no longer
// names. Such a path is resolved against the source root and its parents;
// so is "/tmp/build/./src/a.c", from a build directory outside the mapped one.
#pragma once

#include <string>
#include <vector>

#include "common/finding.h"

namespace forksafe::launcher {

// The file that the debug path `file` names: for `file` itself (when
// relative) and then each part after a "/./" (where the build joined its
// compile directory), the first that is a regular file below root or below
// one of its parents (the build's "." may be above a --source-root of src/);
// `file` itself when it exists, or names none (glibc's
// "./csu/../csu/libc-start.c"). A file found beside root, not under it,
// stays outside root as it should.
std::string resolve_build_path(const std::string& file, const std::string& root);

// resolve_build_path on every location of every finding and its chain.
void resolve_build_paths(std::vector<Finding>* findings, const std::string& root);

}  // namespace forksafe::launcher
