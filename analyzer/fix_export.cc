#include "analyzer/fix_export.h"

#include <clang/Tooling/DiagnosticsYaml.h>
#include <llvm/Support/raw_ostream.h>

namespace forksafe::analyzer {

std::string fixes_yaml(const std::vector<Finding>& findings, const std::string& main_file,
                       const std::string& build_directory) {
  namespace tooling = clang::tooling;
  tooling::TranslationUnitDiagnostics document;
  document.MainSourceFile = main_file;
  for (const Finding& f : findings) {
    tooling::DiagnosticMessage message;
    message.Message = f.message;
    message.FilePath = f.location.file;
    message.FileOffset = f.location.file_offset < 0 ? 0 : static_cast<unsigned>(f.location.file_offset);
    for (const Replacement& r : f.edits) {
      // Our edits never overlap one another, which is all add() refuses.
      llvm::consumeError(message.Fix[r.file].add(tooling::Replacement(r.file, r.offset, r.length, r.text)));
    }
    auto level = f.level == Level::error ? tooling::Diagnostic::Error
                 : f.level == Level::warning ? tooling::Diagnostic::Warning
                                             : tooling::Diagnostic::Remark;
    document.Diagnostics.emplace_back("forksafe-" + f.rule, message, llvm::SmallVector<tooling::DiagnosticMessage, 1>(),
                                      level, build_directory);
  }
  std::string text;
  llvm::raw_string_ostream out(text);
  llvm::yaml::Output yaml(out);
  yaml << document;
  out.flush();
  return text;
}

}  // namespace forksafe::analyzer
