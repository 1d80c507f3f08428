#include "analyzer/ast_tree.h"
#include "analyzer/cx_string.h"

namespace forksafe::analyzer {
namespace {

void fill(Node& node) {
  clang_visitChildren(
      node.cursor,
      [](CXCursor child, CXCursor, CXClientData data) {
        static_cast<std::vector<Node>*>(data)->push_back({child, clang_getCursorKind(child), {}});
        return CXChildVisit_Continue;
      },
      &node.children);
  for (Node& child : node.children) fill(child);
}

Location location_at(CXSourceLocation where) {
  CXFile file = nullptr;
  unsigned line = 0, column = 0;
  clang_getExpansionLocation(where, &file, &line, &column, nullptr);
  Location loc;
  if (file) {
    loc.file = take(clang_File_tryGetRealPathName(file));
    if (loc.file.empty()) loc.file = take(clang_getFileName(file));
  }
  loc.line = static_cast<int>(line);
  loc.column = static_cast<int>(column);
  return loc;
}

unsigned offset_of(CXSourceLocation where) {
  unsigned offset = 0;
  clang_getExpansionLocation(where, nullptr, nullptr, nullptr, &offset);
  return offset;
}

// The cursor's extent moved to where its macros are expanded, so tokens of an
// expression that starts inside a macro (from a header) can still be read.
CXSourceRange expansion_extent(CXTranslationUnit tu, CXCursor cursor) {
  CXSourceRange extent = clang_getCursorExtent(cursor);
  CXFile begin_file = nullptr, end_file = nullptr;
  unsigned begin = 0, end = 0;
  clang_getExpansionLocation(clang_getRangeStart(extent), &begin_file, nullptr, nullptr, &begin);
  clang_getExpansionLocation(clang_getRangeEnd(extent), &end_file, nullptr, nullptr, &end);
  if (!begin_file || !clang_File_isEqual(begin_file, end_file)) return extent;
  return clang_getRange(clang_getLocationForOffset(tu, begin_file, begin),
                        clang_getLocationForOffset(tu, end_file, end));
}

}  // namespace

Node build_tree(CXCursor root) {
  Node node{root, clang_getCursorKind(root), {}};
  fill(node);
  return node;
}

const Node& strip(const Node& node) {
  const Node* n = &node;
  while ((n->kind == CXCursor_ParenExpr || n->kind == CXCursor_UnexposedExpr) && n->children.size() == 1) {
    n = &n->children[0];
  }
  return *n;
}

std::string spelling(CXCursor cursor) { return take(clang_getCursorSpelling(cursor)); }
std::string usr(CXCursor cursor) { return take(clang_getCursorUSR(cursor)); }

std::string qualified_name(CXCursor cursor) {
  std::string name = spelling(cursor);
  for (CXCursor parent = clang_getCursorSemanticParent(cursor);
       !clang_Cursor_isNull(parent) && clang_getCursorKind(parent) != CXCursor_TranslationUnit;
       parent = clang_getCursorSemanticParent(parent)) {
    std::string part = spelling(parent);
    if (clang_getCursorKind(parent) == CXCursor_Namespace && part.rfind("__", 0) == 0) continue;  // std::__cxx11
    if (!part.empty()) name = part + "::" + name;
  }
  return name;
}

Location location_of(CXCursor cursor) { return location_at(clang_getCursorLocation(cursor)); }

Location end_location_of(CXCursor cursor) {
  return location_at(clang_getRangeEnd(clang_getCursorExtent(cursor)));
}

bool in_system_header(CXCursor cursor) {
  return clang_Location_isInSystemHeader(clang_getCursorLocation(cursor)) != 0;
}

std::string operator_of(const Node& node) {
  CXTranslationUnit tu = clang_Cursor_getTranslationUnit(node.cursor);
  CXToken* tokens = nullptr;
  unsigned count = 0;
  clang_tokenize(tu, expansion_extent(tu, node.cursor), &tokens, &count);
  std::string op;
  // A unary prefix operator is the first token; a binary one is the first
  // punctuation after the left operand.
  unsigned after = 0;
  bool binary = node.kind != CXCursor_UnaryOperator;
  if (binary && !node.children.empty()) {
    after = offset_of(clang_getRangeEnd(clang_getCursorExtent(node.children[0].cursor)));
  }
  for (unsigned i = 0; i < count; ++i) {
    if (clang_getTokenKind(tokens[i]) != CXToken_Punctuation) {
      if (!binary) break;
      continue;
    }
    if (binary && offset_of(clang_getTokenLocation(tu, tokens[i])) < after) continue;
    op = take(clang_getTokenSpelling(tu, tokens[i]));
    if (op == "(" || op == ")") {
      op.clear();
      if (!binary) break;
      continue;
    }
    break;
  }
  clang_disposeTokens(tu, tokens, count);
  return op;
}

std::optional<long long> constant_value(const Node& node) {
  const Node& n = strip(node);
  // Not variables: libclang would evaluate their initializer.
  bool enumerator = n.kind == CXCursor_DeclRefExpr &&
                    clang_getCursorKind(clang_getCursorReferenced(n.cursor)) == CXCursor_EnumConstantDecl;
  if (n.kind != CXCursor_IntegerLiteral && n.kind != CXCursor_UnaryOperator && n.kind != CXCursor_BinaryOperator &&
      !enumerator) {
    return std::nullopt;
  }
  CXEvalResult result = clang_Cursor_Evaluate(n.cursor);
  if (!result) return std::nullopt;
  std::optional<long long> value;
  if (clang_EvalResult_getKind(result) == CXEval_Int) value = clang_EvalResult_getAsLongLong(result);
  clang_EvalResult_dispose(result);
  return value;
}

bool is_function_like(CXCursorKind kind) {
  return kind == CXCursor_FunctionDecl || kind == CXCursor_CXXMethod || kind == CXCursor_Constructor ||
         kind == CXCursor_Destructor || kind == CXCursor_ConversionFunction || kind == CXCursor_FunctionTemplate;
}

}  // namespace forksafe::analyzer
