#include "reports/source_excerpts.h"

#include <algorithm>
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

bool under(const std::string& path, const std::string& dir) {
  return path == dir || path.rfind(dir == "/" ? dir : dir + "/", 0) == 0;
}

// The real path of `file` when it may be read: a regular file under a root.
// Empty, with *why set, otherwise.
std::string readable_path(const std::string& file, const std::vector<std::string>& roots, std::string* why) {
  std::error_code ec;
  std::string real = std::filesystem::canonical(file, ec).string();
  if (ec) {
    *why = "not found on this machine";
    return "";
  }
  bool allowed = std::any_of(roots.begin(), roots.end(), [&](const std::string& r) { return under(real, r); });
  for (const char* system : {"/proc", "/sys", "/dev"}) allowed = allowed && !under(real, system);
  if (!allowed) {
    *why = "outside the source roots (see --source-root): not shown";
    return "";
  }
  if (!std::filesystem::is_regular_file(real, ec)) {
    *why = "not a regular file: not shown";
    return "";
  }
  return real;
}

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

json source_excerpts(const std::vector<ReportFinding>& findings, int context, const std::vector<std::string>& roots) {
  std::vector<std::string> real_roots;
  for (const std::string& root : roots) {
    std::error_code ec;
    auto real = std::filesystem::canonical(root, ec);
    if (!ec) real_roots.push_back(real.string());
  }
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
  for (const auto& [file, lines] : wanted) {
    std::string why, real = readable_path(file, real_roots, &why);
    out[file] = real.empty() ? json{{"missing", why}} : read_lines(real, lines);
  }
  return out;
}

}  // namespace forksafe::reports
