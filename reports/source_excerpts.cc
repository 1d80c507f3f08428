#include "reports/source_excerpts.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

namespace forksafe::reports {

using nlohmann::json;

namespace {

// Bounds that keep a report small when a finding points into a huge or
// generated file.
constexpr std::uintmax_t kMaxFileBytes = 16 << 20;
constexpr size_t kMaxLineChars = 400;

json read_lines(const std::string& file, const std::set<int>& wanted) {
  std::error_code ec;
  auto size = std::filesystem::file_size(file, ec);
  if (ec) return {{"missing", "not found on this machine"}};
  if (size > kMaxFileBytes) return {{"missing", "file too large to show"}};
  std::ifstream in(file, std::ios::binary);
  if (!in) return {{"missing", std::string("cannot read: ") + std::strerror(errno)}};
  json lines = json::object();
  std::string text;
  for (int number = 1; std::getline(in, text) && number <= *wanted.rbegin(); ++number) {
    if (!wanted.count(number)) continue;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.size() > kMaxLineChars) text = text.substr(0, kMaxLineChars) + "…";
    lines[std::to_string(number)] = text;
  }
  return {{"lines", lines}};
}

}  // namespace

json source_excerpts(const std::vector<ReportFinding>& findings, int context) {
  std::map<std::string, std::set<int>> wanted;  // file -> line numbers to show
  auto want = [&](const Location& loc) {
    if (loc.file.empty() || loc.line <= 0) return;
    auto& lines = wanted[loc.file];
    for (int n = std::max(1, loc.line - context); n <= loc.line + context; ++n) lines.insert(n);
  };
  for (const ReportFinding& rf : findings) {
    want(rf.finding.location);
    for (const Step& step : rf.finding.chain) want(step.location);
  }
  json out = json::object();
  for (const auto& [file, lines] : wanted) out[file] = read_lines(file, lines);
  return out;
}

}  // namespace forksafe::reports
