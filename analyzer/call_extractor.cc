#include "analyzer/call_extractor.h"

#include "analyzer/cxx_model.h"

namespace forksafe::analyzer {
namespace {

bool in_namespace_std(const std::string& qualified) { return qualified.rfind("std::", 0) == 0; }

// An implicit (compiler-declared) special member sits where its class is.
bool is_implicit_member(CXCursor decl) {
  CXCursor parent = clang_getCursorSemanticParent(decl);
  return clang_equalLocations(clang_getCursorLocation(decl), clang_getCursorLocation(parent));
}

Call modelled(const std::string& name, const std::string& model, CXCursor at, const std::string& caller) {
  Call call{"", name, location_of(at), model, false};
  call.where.function = caller;
  return call;
}

// The user-declared destructor of a class type, or a null cursor.
CXCursor destructor_of(CXType type) {
  CXCursor decl = clang_getTypeDeclaration(clang_getCanonicalType(type));
  CXCursor found = clang_getNullCursor();
  if (clang_Cursor_isNull(decl) || in_system_header(decl)) return found;
  clang_visitChildren(
      decl,
      [](CXCursor child, CXCursor, CXClientData data) {
        if (clang_getCursorKind(child) != CXCursor_Destructor) return CXChildVisit_Continue;
        *static_cast<CXCursor*>(data) = child;
        return CXChildVisit_Break;
      },
      &found);
  return found;
}

Call destructor_call(CXCursor dtor, CXCursor at, const std::string& caller) {
  Call call{usr(dtor), qualified_name(dtor), location_of(at), "", true};
  call.where.function = caller;
  return call;
}

}  // namespace

bool call_of(const Node& node, const std::string& caller, Call* out) {
  CXCursor callee = clang_getCursorReferenced(node.cursor);
  CXCursorKind kind = clang_getCursorKind(callee);
  Location where = location_of(node.cursor);
  where.function = caller;
  if (clang_Cursor_isNull(callee) || !is_function_like(kind)) {
    // No function named: a call through a pointer or callable object, unless
    // nothing is called at all (a trivial construction has no callee expression).
    if (node.children.empty()) return false;
    const Node& target = strip(node.children[0]);
    std::string name = target.kind == CXCursor_DeclRefExpr || target.kind == CXCursor_MemberRefExpr
                           ? spelling(target.cursor)
                           : "a function pointer";
    *out = {"", name, where, "indirect", false};
    return true;
  }
  // A call to a template's specialization: the summary is the template's.
  CXCursor primary = clang_getSpecializedCursorTemplate(callee);
  if (!clang_Cursor_isNull(primary)) callee = primary;
  std::string name = qualified_name(callee);
  if ((kind == CXCursor_Constructor || kind == CXCursor_Destructor) && is_implicit_member(callee)) return false;
  if (clang_CXXMethod_isDefaulted(callee)) return false;
  bool system = in_system_header(callee);
  std::string model;
  if (system && in_namespace_std(name)) model = std_model(name);
  if (kind == CXCursor_CXXMethod && clang_CXXMethod_isVirtual(callee)) model = "indirect";
  if (kind == CXCursor_CXXMethod && spelling(clang_getCursorSemanticParent(callee)).empty()) model = "indirect";  // lambda
  *out = {usr(callee), name, where, model, !system};
  return true;
}

void extract_calls(const Node& node, const std::string& caller, std::vector<Call>* out) {
  switch (node.kind) {
    case CXCursor_LambdaExpr:
      return;
    case CXCursor_CallExpr: {
      Call call;
      if (call_of(node, caller, &call)) out->push_back(std::move(call));
      break;
    }
    case CXCursor_CXXNewExpr:
      out->push_back(modelled("operator new", "allocates", node.cursor, caller));
      break;
    case CXCursor_CXXDeleteExpr: {
      out->push_back(modelled("operator delete", "allocates", node.cursor, caller));
      if (!node.children.empty()) {
        CXType pointee = clang_getPointeeType(clang_getCursorType(strip(node.children[0]).cursor));
        CXCursor dtor = destructor_of(pointee);
        if (!clang_Cursor_isNull(dtor)) out->push_back(destructor_call(dtor, node.cursor, caller));
      }
      break;
    }
    case CXCursor_CXXThrowExpr:
      out->push_back(modelled("throw", "allocates", node.cursor, caller));
      break;
    case CXCursor_VarDecl: {
      // A local object's destructor runs at the end of its scope.
      CXType type = clang_getCursorType(node.cursor);
      if (type.kind == CXType_Record || type.kind == CXType_Elaborated) {
        CXCursor dtor = destructor_of(type);
        if (!clang_Cursor_isNull(dtor) && !is_implicit_member(dtor)) {
          for (const Node& child : node.children) extract_calls(child, caller, out);
          out->push_back(destructor_call(dtor, node.cursor, caller));
          return;
        }
      }
      break;
    }
    default:
      break;
  }
  for (const Node& child : node.children) extract_calls(child, caller, out);
}

}  // namespace forksafe::analyzer
