#include "analyzer/path_filter.h"

#include <filesystem>
#include <stdexcept>

namespace forksafe::analyzer {
namespace {

std::string glob_regex(std::string glob) {
  if (glob.ends_with("/")) glob += "**";
  std::string out;
  for (size_t i = 0; i < glob.size(); ++i) {
    char c = glob[i];
    if (c == '*' && i + 1 < glob.size() && glob[i + 1] == '*') {
      ++i;
      // "**/" also matches no directory at all.
      if (i + 1 < glob.size() && glob[i + 1] == '/') {
        ++i;
        out += "(.*/)?";
      } else {
        out += ".*";
      }
    } else if (c == '*') {
      out += "[^/]*";
    } else if (c == '?') {
      out += "[^/]";
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-') {
      out += c;
    } else {
      out += std::string("\\") + c;
    }
  }
  return out;
}

}  // namespace

void PathFilter::exclude(const std::string& glob, const std::string& base) {
  if (glob.empty()) throw std::runtime_error("an empty exclude glob");
  excludes_.push_back({glob[0] == '/' ? "" : base, std::regex(glob_regex(glob))});
}

void PathFilter::set_header_filter(const std::string& regex) {
  try {
    header_filter_.emplace(regex, std::regex::extended);
  } catch (const std::regex_error& e) {
    throw std::runtime_error("'" + regex + "' is not a valid regular expression (" + e.what() + ")");
  }
}

bool PathFilter::excluded(const std::string& given) const {
  const std::string file = std::filesystem::path(given).lexically_normal().string();
  for (const Glob& g : excludes_) {
    std::string path = file;
    if (!g.base.empty()) {
      std::filesystem::path relative = std::filesystem::path(file).lexically_relative(g.base);
      if (relative.empty() || *relative.begin() == "..") continue;  // not under the glob's directory
      path = relative.string();
    }
    if (std::regex_match(path, g.pattern)) return true;
  }
  return false;
}

bool PathFilter::shown(const std::string& given, const std::set<std::string>& main_files) const {
  const std::string file = std::filesystem::path(given).lexically_normal().string();
  if (excluded(file)) return false;
  if (main_files.count(file) || !header_filter_) return true;
  return std::regex_search(file, *header_filter_);
}

}  // namespace forksafe::analyzer
