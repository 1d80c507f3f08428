// A function body as a plain tree of libclang cursors, built by one visit, so
// the window finder can look at siblings and parents (the C API's visitor
// cannot), plus the few cursor helpers everyone needs.
#pragma once

#include <clang-c/Index.h>

#include <optional>
#include <string>
#include <vector>

#include "common/finding.h"

namespace forksafe::analyzer {

struct Node {
  CXCursor cursor;
  CXCursorKind kind;
  std::vector<Node> children;
};

Node build_tree(CXCursor root);

// Skips parentheses and implicit casts (UnexposedExpr with one child).
const Node& strip(const Node& node);

std::string spelling(CXCursor cursor);
std::string usr(CXCursor cursor);
// Namespaces and classes joined by "::", e.g. "std::basic_string::push_back".
std::string qualified_name(CXCursor cursor);
// Where the cursor is, at the macro expansion site; file as a real path.
Location location_of(CXCursor cursor);
Location end_location_of(CXCursor cursor);
bool in_system_header(CXCursor cursor);

// The operator of a BinaryOperator / UnaryOperator / CompoundAssignOperator
// node, from its tokens ("==", "!", "="); empty when it cannot be told.
std::string operator_of(const Node& node);
// The integer value of a constant expression, if it is one.
std::optional<long long> constant_value(const Node& node);

bool is_function_like(CXCursorKind kind);

}  // namespace forksafe::analyzer
