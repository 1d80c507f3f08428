#include "analyzer/fixes.h"

#include <clang/Lex/Lexer.h>

#include <optional>

#include "analyzer/clang_names.h"

namespace forksafe::analyzer {
namespace {

using namespace clang;

bool function_declared_before(const std::string& name, SourceLocation at, ASTContext& ctx) {
  const SourceManager& sm = ctx.getSourceManager();
  for (const NamedDecl* decl : ctx.getTranslationUnitDecl()->lookup(DeclarationName(&ctx.Idents.get(name)))) {
    const auto* fn = dyn_cast<FunctionDecl>(decl);
    SourceLocation first = fn ? fn->getFirstDecl()->getLocation() : SourceLocation();
    if (first.isValid() && sm.isBeforeInTranslationUnit(first, at)) return true;
  }
  return false;
}

bool macro_defined_at(const std::string& name, SourceLocation at, Preprocessor* pp) {
  const IdentifierInfo* id = pp ? pp->getIdentifierInfo(name) : nullptr;
  return id && id->hadMacroDefinition() && pp->getMacroDefinitionAtLoc(id, at).getMacroInfo() != nullptr;
}

// The first identifier of an added argument list: "F_DUPFD_CLOEXEC, 0" needs F_DUPFD_CLOEXEC.
std::string first_name(const std::string& text) { return text.substr(0, text.find_first_of(", ")); }

// `| flag` binds tighter than these: an argument written with them needs parentheses.
bool needs_parentheses(const Expr* arg) {
  arg = arg->IgnoreImpCasts();
  if (isa<AbstractConditionalOperator>(arg)) return true;
  const auto* binary = dyn_cast<BinaryOperator>(arg);
  return binary && binary->getOpcode() > BO_Or;  // &&, ||, assignments, the comma
}

// The edit of RANGE (a token range ends where its last token ends).
std::optional<Replacement> replacement(CharSourceRange range, std::string text, const SourceManager& sm,
                                       const LangOptions& lang) {
  range = Lexer::makeFileCharRange(range, sm, lang);
  if (range.isInvalid()) return std::nullopt;
  unsigned begin = sm.getFileOffset(range.getBegin());
  return Replacement{location_of(range.getBegin(), sm).file, begin, sm.getFileOffset(range.getEnd()) - begin, std::move(text)};
}

}  // namespace

std::vector<Replacement> fix_edits(const CallExpr* call, const CallFix& fix, ASTContext& ctx, Preprocessor* pp) {
  const SourceManager& sm = ctx.getSourceManager();
  const LangOptions& lang = ctx.getLangOpts();
  SourceLocation at = call->getBeginLoc();
  if (!at.isFileID() || !call->getRParenLoc().isFileID() || in_system_header(at, sm)) return {};
  std::vector<Replacement> edits;
  if (!fix.rename.empty() || !fix.append.empty()) {
    const auto* callee = dyn_cast<DeclRefExpr>(call->getCallee()->IgnoreParenImpCasts());
    if (!callee || !callee->getBeginLoc().isFileID() || !callee->getEndLoc().isFileID()) return {};
    if (!fix.rename.empty() && !function_declared_before(fix.rename, at, ctx)) return {};
    if (!fix.append.empty() && !macro_defined_at(first_name(fix.append), at, pp)) return {};
    // The whole call, as clang-tidy writes it: pipe(fds) -> pipe2(fds, O_CLOEXEC).
    SourceLocation after_callee = Lexer::getLocForEndOfToken(callee->getEndLoc(), 0, sm, lang);
    bool invalid = false;
    StringRef middle = Lexer::getSourceText(CharSourceRange::getCharRange(after_callee, call->getRParenLoc()), sm, lang, &invalid);
    if (invalid) return {};
    std::string text = fix.rename.empty() ? Lexer::getSourceText(CharSourceRange::getTokenRange(callee->getSourceRange()), sm, lang).str()
                                          : fix.rename;
    text += middle.str();
    if (!fix.append.empty()) text += (call->getNumArgs() > 0 ? ", " : "") + fix.append;
    text += ")";
    auto edit = replacement(CharSourceRange::getTokenRange(callee->getBeginLoc(), call->getRParenLoc()), text, sm, lang);
    if (!edit) return {};
    edits.push_back(*edit);
  }
  if (fix.flag_arg >= 0) {
    if (static_cast<unsigned>(fix.flag_arg) >= call->getNumArgs() || !macro_defined_at(fix.flag, at, pp)) return {};
    const Expr* arg = call->getArg(static_cast<unsigned>(fix.flag_arg));
    CharSourceRange range = Lexer::makeFileCharRange(CharSourceRange::getTokenRange(arg->getSourceRange()), sm, lang);
    if (range.isInvalid()) return {};
    // Inserted after the argument, as clang-tidy does: O_RDONLY -> O_RDONLY | O_CLOEXEC.
    auto edit = needs_parentheses(arg)
                    ? replacement(range, "(" + Lexer::getSourceText(range, sm, lang).str() + ") | " + fix.flag, sm, lang)
                    : replacement(CharSourceRange::getCharRange(range.getEnd(), range.getEnd()), " | " + fix.flag, sm, lang);
    if (!edit) return {};
    edits.push_back(*edit);
  }
  return edits;
}

}  // namespace forksafe::analyzer
