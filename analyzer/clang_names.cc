#include "analyzer/clang_names.h"

#include <clang/AST/DeclCXX.h>
#include <clang/Index/USRGeneration.h>
#include <clang/Lex/Lexer.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/ADT/Twine.h>

#include <algorithm>
#include <vector>

namespace forksafe::analyzer {

std::string usr_of(const clang::Decl* decl) {
  llvm::SmallString<128> buffer;
  if (clang::index::generateUSRForDecl(decl, buffer)) return "";
  return std::string(buffer.str());
}

std::string qualified_name(const clang::NamedDecl* decl) {
  // Joined with llvm's string helpers: std::string's operator+ here trips
  // GCC 12's -Wrestrict false positive at -O3 (GCC bug 105329).
  std::string leaf = decl->getNameAsString();
  // A constructor's or destructor's name is its class's, without template arguments.
  if (const auto* ctor = llvm::dyn_cast<clang::CXXConstructorDecl>(decl)) leaf = ctor->getParent()->getNameAsString();
  if (const auto* dtor = llvm::dyn_cast<clang::CXXDestructorDecl>(decl)) {
    leaf = ("~" + llvm::Twine(dtor->getParent()->getNameAsString())).str();
  }
  if (const auto* method = llvm::dyn_cast<clang::CXXMethodDecl>(decl); method && method->getParent()->isLambda()) {
    leaf = "lambda";
  }
  std::vector<std::string> parts{leaf};
  for (const clang::DeclContext* dc = decl->getDeclContext(); dc && !dc->isTranslationUnit(); dc = dc->getParent()) {
    const auto* named = llvm::dyn_cast<clang::NamedDecl>(dc);
    if (!named) continue;
    if (const auto* ns = llvm::dyn_cast<clang::NamespaceDecl>(dc); ns && (ns->isInline() || ns->isAnonymousNamespace())) {
      continue;
    }
    if (const auto* record = llvm::dyn_cast<clang::CXXRecordDecl>(dc); record && record->isLambda()) continue;
    std::string part = named->getNameAsString();
    if (part.empty() || part.rfind("__", 0) == 0) continue;
    parts.push_back(std::move(part));
  }
  std::reverse(parts.begin(), parts.end());
  return llvm::join(parts, "::");
}

Location location_of(clang::SourceLocation where, const clang::SourceManager& sm) {
  Location loc;
  if (where.isInvalid()) return loc;
  clang::SourceLocation file_loc = sm.getFileLoc(where);
  clang::FileID id = sm.getFileID(file_loc);
  if (const clang::FileEntry* entry = sm.getFileEntryForID(id)) {
    loc.file = entry->tryGetRealPathName().str();
    if (loc.file.empty()) loc.file = entry->getName().str();
  }
  loc.line = static_cast<int>(sm.getSpellingLineNumber(file_loc));
  loc.column = static_cast<int>(sm.getSpellingColumnNumber(file_loc));
  loc.file_offset = sm.getFileOffset(sm.getSpellingLoc(file_loc));
  return loc;
}

Location location_of(clang::SourceRange range, const clang::SourceManager& sm, const clang::LangOptions& lang) {
  Location loc = location_of(range.getBegin(), sm);
  clang::CharSourceRange chars =
      clang::Lexer::makeFileCharRange(clang::CharSourceRange::getTokenRange(range), sm, lang);
  if (chars.isInvalid() || sm.getFileLoc(range.getBegin()) != chars.getBegin()) return loc;
  loc.end_line = static_cast<int>(sm.getSpellingLineNumber(chars.getEnd()));
  loc.end_column = static_cast<int>(sm.getSpellingColumnNumber(chars.getEnd()));
  return loc;
}

bool in_system_header(clang::SourceLocation where, const clang::SourceManager& sm) {
  return where.isValid() && sm.isInSystemHeader(sm.getExpansionLoc(where));
}

bool is_global_c_function(const clang::FunctionDecl* fn) {
  return fn && !llvm::isa<clang::CXXMethodDecl>(fn) && fn->getDeclContext()->getRedeclContext()->isTranslationUnit() &&
         fn->getIdentifier();
}

std::string c_function_name(const clang::FunctionDecl* fn) {
  return is_global_c_function(fn) ? fn->getNameAsString() : "";
}

}  // namespace forksafe::analyzer
