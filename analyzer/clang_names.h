// What the analyzer needs to know of a clang declaration or location: its USR
// (the key of summaries across TUs), its qualified name for messages and the
// safety database, and where it is in the user's files.
#pragma once

#include <clang/AST/Decl.h>
#include <clang/Basic/LangOptions.h>
#include <clang/Basic/SourceManager.h>

#include <string>

#include "common/finding.h"

namespace forksafe::analyzer {

std::string usr_of(const clang::Decl* decl);
// Namespaces and classes joined by "::", without template arguments and
// without inline namespaces such as std::__cxx11: "std::basic_string::push_back".
std::string qualified_name(const clang::NamedDecl* decl);
// Where the token is written in a file: a macro argument where it is spelled,
// a token of a macro body where the macro is used. The file as a real path.
// Its byte offset in that file too.
Location location_of(clang::SourceLocation where, const clang::SourceManager& sm);
// The same for a construct: also where its last token ends (end_line,
// end_column), when both ends are in one file.
Location location_of(clang::SourceRange range, const clang::SourceManager& sm, const clang::LangOptions& lang);
bool in_system_header(clang::SourceLocation where, const clang::SourceManager& sm);
// A function of the C library (or another global C function), not a method
// or a namespaced namesake: C::pipe and ns::fork are not pipe and fork.
bool is_global_c_function(const clang::FunctionDecl* fn);
// Its name if it is one, else "".
std::string c_function_name(const clang::FunctionDecl* fn);

}  // namespace forksafe::analyzer
