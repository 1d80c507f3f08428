#include "analyzer/prescan.h"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "analyzer/compile_db.h"
#include "analyzer/process_calls.h"

namespace forksafe::analyzer {
namespace {

bool ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

const std::set<std::string>& keywords() {
  static const std::set<std::string> k = {"if", "while", "for", "switch", "return", "sizeof", "catch",
                                          "defined", "alignof", "decltype", "typeof", "__attribute__"};
  return k;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Words scan_words(const std::string& t) {
  Words w;
  struct Token {
    std::string text;  // an identifier, or one punctuation character
    bool at_line_start;
    int depth;         // of braces
  };
  int depth = 0;
  std::vector<Token> tokens;
  bool line_start = true;
  for (size_t i = 0; i < t.size();) {
    char c = t[i];
    if (c == '\n') {
      line_start = true;
      ++i;
    } else if (c == '/' && i + 1 < t.size() && t[i + 1] == '/') {
      while (i < t.size() && t[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < t.size() && t[i + 1] == '*') {
      auto end = t.find("*/", i + 2);
      i = end == std::string::npos ? t.size() : end + 2;
    } else if (c == '"' || c == '\'') {
      for (++i; i < t.size() && t[i] != c && t[i] != '\n'; ++i) {
        if (t[i] == '\\') ++i;
      }
      ++i;
      line_start = false;
    } else if (c == '#' && line_start) {
      // A preprocessor line (with continuations): includes and macro bodies.
      size_t end = i;
      while (end < t.size() && (t[end] != '\n' || t[end - 1] == '\\')) ++end;
      std::string line = t.substr(i + 1, end - i - 1);
      std::istringstream in(line);
      std::string directive, name;
      in >> directive;
      if (directive == "include") {
        auto open = line.find('"');
        auto close = open == std::string::npos ? open : line.find('"', open + 1);
        if (close != std::string::npos) w.quoted_includes.push_back(line.substr(open + 1, close - open - 1));
        auto angle = line.find('<');
        auto angle_close = angle == std::string::npos ? angle : line.find('>', angle + 1);
        if (open == std::string::npos && angle_close != std::string::npos) {
          w.angle_includes.push_back(line.substr(angle + 1, angle_close - angle - 1));
        }
      } else if (directive == "define") {
        Words body = scan_words(line.substr(line.find("define") + 6));
        size_t n = line.find("define") + 6;
        while (n < line.size() && std::isspace(static_cast<unsigned char>(line[n]))) ++n;
        size_t e = n;
        while (e < line.size() && ident_char(line[e])) ++e;
        name = line.substr(n, e - n);
        body.all.erase(name);
        w.all.insert(body.all.begin(), body.all.end());
        if (!name.empty()) w.macros.push_back({name, body.all});
      }
      i = end;
    } else if (ident_start(c)) {
      size_t start = i;
      while (i < t.size() && ident_char(t[i])) ++i;
      tokens.push_back({t.substr(start, i - start), line_start && (start == 0 || t[start - 1] == '\n'), depth});
      line_start = false;
    } else {
      if (c == '{') ++depth;
      if (c == '}' && depth > 0) --depth;
      if (!std::isspace(static_cast<unsigned char>(c))) {
        tokens.push_back({std::string(1, c), false, depth});
        line_start = false;
      }
      ++i;
    }
  }
  static const std::set<std::string> qualifiers = {"const", "noexcept", "override", "final", "volatile", "&"};
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& tok = tokens[i];
    if (!ident_start(tok.text[0])) continue;
    w.all.insert(tok.text);
    if (tok.depth > 0) w.in_bodies.insert(tok.text);
    if (i + 1 >= tokens.size() || tokens[i + 1].text != "(" || keywords().count(tok.text)) continue;
    if (tok.at_line_start) {  // GNU style: the name starts the line
      w.defined.insert(tok.text);
      continue;
    }
    size_t j = i + 1;
    for (int depth = 0; j < tokens.size(); ++j) {
      if (tokens[j].text == "(") ++depth;
      if (tokens[j].text == ")" && --depth == 0) break;
    }
    for (++j; j < tokens.size() && qualifiers.count(tokens[j].text); ++j) {
    }
    if (j < tokens.size() && (tokens[j].text == "{" || tokens[j].text == ":")) w.defined.insert(tok.text);
  }
  return w;
}

std::vector<ScannedTu> prescan(const std::vector<CompileCommand>& commands, std::set<std::string> fork_words) {
  // Each file once: main files and the project headers they include by "name".
  std::map<std::string, Words> files;
  std::vector<std::vector<std::string>> tu_files(commands.size());
  for (size_t t = 0; t < commands.size(); ++t) {
    const CompileCommand& c = commands[t];
    std::vector<std::string> dirs;
    for (size_t a = 0; a < c.args.size(); ++a) {
      const std::string& arg = c.args[a];
      if (arg == "-I" && a + 1 < c.args.size()) dirs.push_back(absolute_path(c.args[a + 1], c.directory));
      else if (arg.rfind("-I", 0) == 0 && arg.size() > 2) dirs.push_back(absolute_path(arg.substr(2), c.directory));
    }
    std::vector<std::string> queue{c.file};
    std::set<std::string> seen;
    while (!queue.empty()) {
      std::string path = queue.back();
      queue.pop_back();
      if (!seen.insert(path).second) continue;
      tu_files[t].push_back(path);
      auto it = files.find(path);
      if (it == files.end()) it = files.emplace(path, scan_words(read_file(path))).first;
      std::vector<std::string> search{std::filesystem::path(path).parent_path().string()};
      search.insert(search.end(), dirs.begin(), dirs.end());
      // "name" from the file's directory and -I; <name> only from -I (a
      // project's own headers; system headers are not read).
      auto follow = [&](const std::string& inc, const std::vector<std::string>& where) {
        for (const std::string& dir : where) {
          std::string candidate = absolute_path(inc, dir);
          if (std::filesystem::is_regular_file(candidate)) {
            queue.push_back(candidate);
            break;
          }
        }
      };
      for (const std::string& inc : it->second.quoted_includes) follow(inc, search);
      for (const std::string& inc : it->second.angle_includes) follow(inc, dirs);
    }
  }
  // Macros that expand to fork or another way to spawn (or to another such
  // macro) count as those words.
  for (const char* spawn : kSpawnCalls) fork_words.insert(spawn);
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& [path, words] : files) {
      for (const auto& [name, body] : words.macros) {
        if (fork_words.count(name)) continue;
        for (const std::string& word : body) {
          if (fork_words.count(word)) {
            grew |= fork_words.insert(name).second;
            break;
          }
        }
      }
    }
  }
  // A TU is a seed when a function body in it (or in a header it includes:
  // inline functions) names fork, a fork macro, or another way to spawn.
  // Declarations and macro definitions alone do not count.
  std::vector<ScannedTu> out(commands.size());
  for (size_t t = 0; t < commands.size(); ++t) {
    for (const std::string& path : tu_files[t]) {
      const Words& words = files[path];
      for (const std::string& word : words.in_bodies) {
        if (fork_words.count(word)) out[t].seed = true;
      }
      // fork given to a pointer at file scope (pid_t (*spawn)(void) = vfork;).
      if (path == commands[t].file) {
        for (const char* name : {"fork", "vfork", "_Fork"}) out[t].seed |= words.all.count(name) > 0;
      }
      out[t].mentions.insert(words.in_bodies.begin(), words.in_bodies.end());
      auto& defines = path == commands[t].file ? out[t].defines : out[t].defines_in_headers;
      defines.insert(words.defined.begin(), words.defined.end());
    }
    // A definition spelled through a renaming macro (#define getpwnam
    // bb_internal_getpwnam) defines the name the macro stands for.
    for (const std::string& path : tu_files[t]) {
      for (const auto& [name, body] : files[path].macros) {
        if (body.size() != 1) continue;
        if (out[t].defines.count(name)) out[t].defines.insert(*body.begin());
        if (out[t].defines_in_headers.count(name)) out[t].defines_in_headers.insert(*body.begin());
      }
    }
    // A macro the TU uses mentions what its body names (xfork() -> xfork_v1).
    for (bool grew = true; grew;) {
      grew = false;
      for (const std::string& path : tu_files[t]) {
        for (const auto& [name, body] : files[path].macros) {
          if (!out[t].mentions.count(name)) continue;
          for (const std::string& word : body) grew |= out[t].mentions.insert(word).second;
        }
      }
    }
  }
  return out;
}

}  // namespace forksafe::analyzer
