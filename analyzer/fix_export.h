// `forksafe analyze --export-fixes FILE`: the findings as clang-tidy's
// --export-fixes writes them (clang's own YAML serializer for
// tooling::TranslationUnitDiagnostics), so clang-apply-replacements and
// the tools that read clang-tidy's fixes read ours.
#pragma once

#include <string>
#include <vector>

#include "common/finding.h"

namespace forksafe::analyzer {

// DiagnosticName is "forksafe-RULE" (NOLINT's spelling); notes are Remarks.
// `main_file`: MainSourceFile; `build_directory`: each BuildDirectory.
std::string fixes_yaml(const std::vector<Finding>& findings, const std::string& main_file,
                       const std::string& build_directory);

}  // namespace forksafe::analyzer
