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
namespace fs = std::filesystem;

namespace {

// Bounds that keep a report small when a finding points into a huge or
// generated file.
constexpr std::uintmax_t kMaxFileBytes = 16 << 20;
constexpr size_t kMaxLineChars = 400;

bool under(const std::string& path, const std::string& dir) {
  return path == dir || path.rfind(dir == "/" ? dir : dir + "/", 0) == 0;
}

// `path` below `dir` (under(path, dir) holds), without the directory.
std::string below(const std::string& path, const std::string& dir) {
  return path == dir ? "." : path.substr(dir == "/" ? 1 : dir.size() + 1);
}

// A source root as given (absolute, tidied) and as it really is (symlinks
// followed): a finding's path may use either.
struct Root {
  std::string given, real;
};

std::string tidy(const std::string& path) {
  std::string text = fs::path(path).lexically_normal().string();
  if (text.size() > 1 && text.back() == '/') text.pop_back();
  return text;
}

// The root that holds `path` as written, or null.
const Root* holder(const std::string& path, const std::vector<Root>& roots) {
  for (const Root& root : roots) {
    if (under(path, root.given) || under(path, root.real)) return &root;
  }
  return nullptr;
}

// Whether `real` (a canonical path) may be read: a regular file under a
// root's real path, never under /proc, /sys or /dev. Sets *why when not.
bool may_read(const std::string& real, const std::vector<Root>& roots, std::string* why) {
  bool allowed = std::any_of(roots.begin(), roots.end(), [&](const Root& r) { return under(real, r.real); });
  for (const char* system : {"/proc", "/sys", "/dev"}) allowed = allowed && !under(real, system);
  std::error_code ec;
  if (!allowed) {
    *why = "outside the source root (see --source-root): not shown";
  } else if (!fs::is_regular_file(real, ec)) {
    *why = "not a regular file: not shown";
  }
  return allowed && why->empty();
}

// Where a finding's file is shown and read from. An absolute path under a
// root is shown relative to it; a relative one names a file under a root
// (SARIF's SRCROOT) when there is one there. Anything else (a system header,
// a library's build path such as "./csu/../csu/libc-start.c") is outside
// the source root, shown tidied.
struct Place {
  std::string shown;
  bool outside = true;
  std::string real;  // the file to read, or empty
  std::string why;   // why it is not read
};

Place place_of(const std::string& file, const std::vector<Root>& roots) {
  Place place;
  place.shown = tidy(file);
  std::vector<std::string> candidates;
  if (fs::path(place.shown).is_absolute()) {
    candidates.push_back(place.shown);
  } else if (place.shown != ".." && place.shown.rfind("../", 0) != 0) {
    for (const Root& root : roots) candidates.push_back(tidy(root.real + "/" + place.shown));
  }
  for (const std::string& candidate : candidates) {
    std::error_code ec;
    std::string real = fs::canonical(candidate, ec).string();
    const Root* root = holder(candidate, roots);
    if (ec) {
      if (root && fs::path(file).is_absolute()) {  // under the root, but not on this machine
        place.shown = below(candidate, under(candidate, root->given) ? root->given : root->real);
        place.outside = false;
        place.why = "not found on this machine";
        return place;
      }
      continue;
    }
    if (may_read(real, roots, &place.why)) place.real = real;
    if (root) {
      place.shown = below(candidate, under(candidate, root->given) ? root->given : root->real);
      place.outside = false;
    } else if (const Root* real_root = holder(real, roots); real_root && !place.real.empty()) {
      place.shown = below(real, real_root->real);
      place.outside = false;
    }
    return place;
  }
  place.why = candidates.empty() || fs::path(file).is_absolute() ? "outside the source root (see --source-root): not shown"
                                                                  : "not found under the source root";
  return place;
}

json read_lines(const std::string& file, const std::set<int>& wanted) {
  std::error_code ec;
  auto size = fs::file_size(file, ec);
  if (ec) return {{"missing", "not found on this machine"}};
  if (size > kMaxFileBytes) return {{"missing", "file too large to show"}};
  std::ifstream in(file, std::ios::binary);
  if (!in) return {{"missing", std::string("cannot read: ") + std::strerror(errno)}};
  json lines = json::object();
  std::string text;
  int last = wanted.empty() ? 0 : *wanted.rbegin();
  for (int number = 1; number <= last && std::getline(in, text); ++number) {
    if (!wanted.count(number)) continue;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.size() > kMaxLineChars) text = text.substr(0, kMaxLineChars) + "…";
    lines[std::to_string(number)] = text;
  }
  return {{"lines", lines}};
}

}  // namespace

json source_excerpts(const std::vector<ReportFinding>& findings, int context, const std::vector<std::string>& roots) {
  std::vector<Root> known;
  for (const std::string& root : roots) {
    std::error_code ec;
    auto real = fs::canonical(root, ec);
    if (!ec) known.push_back({tidy(fs::absolute(root).string()), real.string()});
  }
  std::map<std::string, std::set<int>> wanted;  // file -> line numbers to show
  auto want = [&](const Location& loc) {
    if (loc.file.empty()) return;
    auto& lines = wanted[loc.file];
    for (int n = std::max(1, loc.line - context); loc.line > 0 && n <= loc.line + context; ++n) lines.insert(n);
  };
  for (const ReportFinding& rf : findings) {
    want(rf.finding.location);
    for (const Step& step : rf.finding.chain) want(step.location);
  }
  json out = json::object();
  for (const auto& [file, lines] : wanted) {
    Place place = place_of(file, known);
    json entry = place.real.empty() ? json{{"missing", place.why}} : read_lines(place.real, lines);
    entry["path"] = place.shown;
    if (place.outside) entry["outside"] = true;
    out[file] = std::move(entry);
  }
  return out;
}

std::string display_root(const std::vector<std::string>& roots) {
  std::error_code ec;
  return roots.empty() ? "" : fs::canonical(roots.front(), ec).string();
}

}  // namespace forksafe::reports
