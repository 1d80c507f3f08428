#include "analyzer/fix_export.h"

#include <clang/Tooling/DiagnosticsYaml.h>
#include <gtest/gtest.h>

namespace forksafe::analyzer {
namespace {

Finding pipe_finding() {
  Finding f;
  f.rule = "fd-no-cloexec";
  f.level = Level::warning;
  f.message = "'pipe' creates a descriptor without close-on-exec";
  f.location = {"/src/a.c", 8, 3, "main", "", 0};
  f.location.file_offset = 136;
  f.edits = {{"/src/a.c", 136, 9, "pipe2(fds, O_CLOEXEC)"}};
  return f;
}

TEST(FixExport, WritesClangTidysYamlThatClangsReaderReadsBack) {
  Finding note = pipe_finding();
  note.level = Level::note;
  note.edits.clear();
  std::string yaml = fixes_yaml({pipe_finding(), note}, "/src/a.c", "/build");
  // Laid out as clang-tidy --export-fixes writes it.
  EXPECT_EQ(yaml.rfind("---\nMainSourceFile:  '/src/a.c'\nDiagnostics:\n  - DiagnosticName:  forksafe-fd-no-cloexec\n", 0), 0u)
      << yaml;
  EXPECT_NE(yaml.find("          ReplacementText: 'pipe2(fds, O_CLOEXEC)'\n    Level:           Warning\n"
                      "    BuildDirectory:  '/build'\n"),
            std::string::npos)
      << yaml;

  clang::tooling::TranslationUnitDiagnostics back;
  llvm::yaml::Input in(yaml);
  in >> back;
  ASSERT_FALSE(in.error());
  ASSERT_EQ(back.Diagnostics.size(), 2u);
  const auto& d = back.Diagnostics[0];
  EXPECT_EQ(d.DiagnosticName, "forksafe-fd-no-cloexec");
  EXPECT_EQ(d.Message.Message, pipe_finding().message);
  EXPECT_EQ(d.Message.FilePath, "/src/a.c");
  EXPECT_EQ(d.Message.FileOffset, 136u);
  const auto& replacements = d.Message.Fix.lookup("/src/a.c");
  ASSERT_EQ(replacements.size(), 1u);
  EXPECT_EQ(replacements.begin()->getOffset(), 136u);
  EXPECT_EQ(replacements.begin()->getLength(), 9u);
  EXPECT_EQ(replacements.begin()->getReplacementText(), "pipe2(fds, O_CLOEXEC)");
  EXPECT_EQ(back.Diagnostics[1].DiagLevel, clang::tooling::Diagnostic::Remark);
  EXPECT_TRUE(back.Diagnostics[1].Message.Fix.empty());
}

}  // namespace
}  // namespace forksafe::analyzer
