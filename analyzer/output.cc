#include "analyzer/output.h"

#include <stdexcept>

#include "analyzer/source_lines.h"
#include "common/json_input.h"

namespace forksafe::analyzer {

using nlohmann::json;

namespace {

std::string place(const Location& l) {
  return l.file + ":" + std::to_string(l.line) + ":" + std::to_string(l.column);
}

json location_json(const Location& l) {
  return {{"file", l.file}, {"line", l.line}, {"column", l.column}, {"function", l.function}};
}

}  // namespace

namespace {

// clang's colours: the place and message bold, the level in its colour, the caret green.
constexpr const char* kBold = "\033[1m";
constexpr const char* kReset = "\033[0m";
constexpr const char* kGreen = "\033[1;32m";

const char* level_color(const std::string& level) {
  if (level == "error") return "\033[1;31m";
  if (level == "warning") return "\033[1;35m";
  return "\033[1;30m";  // note
}

bool identifier_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// The source line and under it a caret at the column (tabs kept, so it
// lines up) and tildes under the rest of the name that starts there.
std::string snippet(const std::string& line, int column, bool color) {
  size_t at = static_cast<size_t>(column - 1);
  if (column < 1 || at > line.size()) return "";
  std::string marks;
  for (size_t i = 0; i < at; ++i) marks += line[i] == '\t' ? '\t' : ' ';
  marks += '^';
  if (at < line.size() && identifier_char(line[at])) {
    for (size_t i = at + 1; i < line.size() && identifier_char(line[i]); ++i) marks += '~';
  }
  return line + "\n" + (color ? kGreen + marks + kReset : marks) + "\n";
}

std::string heading(const Location& l, const std::string& level, const std::string& message, bool color) {
  if (!color) return place(l) + ": " + level + ": " + message + "\n";
  return kBold + place(l) + ": " + kReset + level_color(level) + level + ": " + kReset + kBold + message + kReset + "\n";
}

}  // namespace

std::string to_text(const std::vector<Finding>& findings, const TextStyle& style) {
  std::string out;
  SourceLines sources;
  auto quote = [&](const Location& l) {
    const std::string* line = style.snippets ? sources.line(l.file, l.line) : nullptr;
    if (line) out += snippet(*line, l.column, style.color);
  };
  for (const Finding& f : findings) {
    out += heading(f.location, level_name(f.level), f.message + " [" + f.rule + "]", style.color);
    quote(f.location);
    for (const Step& s : f.chain) {
      out += heading(s.location, "note", s.message, style.color);
      quote(s.location);
    }
  }
  return out;
}

json to_json(const std::vector<Finding>& findings, const std::string& source_root) {
  json out = json::array();
  for (const Finding& f : findings) {
    json chain = json::array();
    for (const Step& s : f.chain) {
      json step = location_json(s.location);
      step["message"] = s.message;
      chain.push_back(step);
    }
    json item = location_json(f.location);
    item.update({{"rule", f.rule}, {"level", level_name(f.level)}, {"message", f.message}, {"chain", chain},
                 {"fix", f.fix}, {"properties", f.properties}, {"fingerprint", fingerprint(f, source_root)}});
    out.push_back(item);
  }
  return out;
}

json baseline_json(const std::vector<Finding>& findings, const std::string& source_root) {
  json entries = json::array();
  for (const Finding& f : findings) {
    entries.push_back({{"fingerprint", fingerprint(f, source_root)}, {"rule", f.rule}, {"file", f.location.file},
                       {"message", f.message}});
  }
  return {{"forksafeBaseline", 1}, {"findings", entries}};
}

std::set<std::string> read_baseline(const std::string& path) {
  json j = read_json_input(path);
  std::set<std::string> out;
  try {
    for (const json& e : j.at("findings")) out.insert(e.at("fingerprint").get<std::string>());
  } catch (const json::exception&) {
    throw std::runtime_error(path + ": not a forksafe baseline (written by --write-baseline)");
  }
  return out;
}

}  // namespace forksafe::analyzer
