// One entry of a compilation database: how one translation unit is compiled.
#pragma once

#include <string>
#include <vector>

namespace forksafe::analyzer {

struct CompileCommand {
  std::string directory;
  std::string file;                // absolute
  std::vector<std::string> args;   // the full command line, compiler first
};

}  // namespace forksafe::analyzer
