// The cheap textual pre-scan behind the demand-driven default: which TUs can
// hold a fork-to-exec window or spawn (parse them first), and which functions
// each TU seems to define (to find the definitions windows reach). It only
// has to over-approximate: the parse decides.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "analyzer/tu_scanner.h"

namespace forksafe::analyzer {

struct ScannedTu {
  bool seed = false;               // names fork, vfork, clone ... or spawns
  std::set<std::string> defines;   // identifiers that look like function definitions
};

// `fork_words`: fork-like names; macros whose body names one become fork words too.
std::vector<ScannedTu> prescan(const std::vector<CompileCommand>& commands, std::set<std::string> fork_words);

// The identifiers of a C/C++ text, with comments and literals skipped, and the
// ones in a definition-like position (NAME (...) { or NAME at column 0).
struct Words {
  std::set<std::string> all;
  std::set<std::string> defined;
  std::vector<std::pair<std::string, std::set<std::string>>> macros;  // name, words of its body
  std::vector<std::string> quoted_includes;
};
Words scan_words(const std::string& text);

}  // namespace forksafe::analyzer
