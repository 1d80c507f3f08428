// Turns the calls in a piece of a function body into Call records: direct
// calls, calls through pointers and virtual functions, and the calls C++ makes
// implicitly (constructors, destructors, new, delete, throw).
#pragma once

#include <string>
#include <vector>

#include "analyzer/ast_tree.h"
#include "analyzer/summary.h"

namespace forksafe::analyzer {

// Appends the calls under `node` (including node itself), in source order.
// Lambda bodies are skipped: they do not run where they are written.
// `caller` names the enclosing function in each Call::where.
void extract_calls(const Node& node, const std::string& caller, std::vector<Call>* out);

// The call a CallExpr node makes, when it is one (false for trivial implicit
// constructors and other calls that run no code).
bool call_of(const Node& call_expr, const std::string& caller, Call* out);

}  // namespace forksafe::analyzer
