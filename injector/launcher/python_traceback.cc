#include "injector/launcher/python_traceback.h"

#include <fstream>
#include <regex>
#include <sstream>

namespace forksafe::launcher {

std::vector<PythonFrame> parse_python_traceback(const std::string& text) {
  static const std::regex frame_line(R"re(^  File "(.*)", line (\d+) in (.+)$)re");
  std::vector<PythonFrame> frames;
  std::istringstream in(text);
  std::smatch match;
  for (std::string line; std::getline(in, line);) {
    if (std::regex_match(line, match, frame_line)) frames.push_back({match[1], std::stoi(match[2]), match[3]});
  }
  return frames;
}

namespace {

size_t indentation(const std::string& line) { return line.find_first_not_of(" \t"); }

// The word after `keyword ` at the start of the stripped line, or "".
std::string defined_name(const std::string& line, const std::string& keyword) {
  size_t start = indentation(line);
  if (start == std::string::npos || line.compare(start, keyword.size() + 1, keyword + " ") != 0) return "";
  size_t name = start + keyword.size() + 1;
  size_t end = line.find_first_of("(: ", name);
  return line.substr(name, end == std::string::npos ? std::string::npos : end - name);
}

}  // namespace

std::string qualified_name(const PythonFrame& frame) {
  std::ifstream in(frame.file);
  std::vector<std::string> lines;
  for (std::string line; lines.size() < static_cast<size_t>(frame.line) && std::getline(in, line);) lines.push_back(line);
  if (lines.size() < static_cast<size_t>(frame.line)) return frame.function;
  // Up from the frame's line: the function's own def, then what encloses it.
  size_t def_indent = std::string::npos;
  for (size_t i = lines.size(); i-- > 0;) {
    size_t indent = indentation(lines[i]);
    if (indent == std::string::npos) continue;
    if (def_indent == std::string::npos) {
      if (defined_name(lines[i], "def") == frame.function || defined_name(lines[i], "async def") == frame.function) {
        def_indent = indent;
      }
      continue;
    }
    if (indent >= def_indent) continue;
    std::string owner = defined_name(lines[i], "class");
    return owner.empty() ? frame.function : owner + "." + frame.function;
  }
  return frame.function;
}

}  // namespace forksafe::launcher
