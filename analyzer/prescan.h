// The cheap textual pre-scan behind the demand-driven default: which TUs can
// hold a fork-to-exec window or spawn (parse them first), and which functions
// each TU seems to define (to find the definitions windows reach). It only
// has to over-approximate: the parse decides.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "analyzer/compile_command.h"

namespace forksafe::analyzer {

struct ScannedTu {
  bool seed = false;               // names fork, vfork, clone ... or spawns
  // Identifiers that look like function definitions, in the main file and in
  // the project headers it includes (often inline code, or inactive #if branches).
  std::set<std::string> defines;
  std::set<std::string> defines_in_headers;
  // Identifiers in function bodies: who may call a fork-like function found later.
  std::set<std::string> mentions;
};

// `fork_words`: fork-like names; spawn calls (exec, posix_spawn, system ...)
// are added, and macros whose body names one of them count too.
std::vector<ScannedTu> prescan(const std::vector<CompileCommand>& commands, std::set<std::string> fork_words);

// The identifiers of a C/C++ text, with comments and literals skipped; those
// inside braces; and those in a definition-like position (NAME (...) { or
// NAME at column 0).
struct Words {
  std::set<std::string> all;
  std::set<std::string> in_bodies;  // inside braces: calls, not declarations
  std::set<std::string> defined;
  std::vector<std::pair<std::string, std::set<std::string>>> macros;  // name, words of its body
  std::vector<std::string> quoted_includes;
  std::vector<std::string> angle_includes;  // <name>: a project header when found under -I
};
Words scan_words(const std::string& text);

}  // namespace forksafe::analyzer
