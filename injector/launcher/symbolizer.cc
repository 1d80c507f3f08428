#include "injector/launcher/symbolizer.h"

#include <map>
#include <set>
#include <sstream>

#include "injector/launcher/elf_file.h"
#include "injector/launcher/subprocess.h"
#include "injector/launcher/target.h"

namespace forksafe::launcher {

namespace {

struct Tool {
  std::string name;
  std::vector<std::string> argv;  // the module path is appended
};

Tool find_tool() {
  for (const char* name : {"llvm-symbolizer", "llvm-symbolizer-14"}) {
    std::string path = resolve_program(name);
    if (!path.empty()) return {"llvm-symbolizer", {path, "--output-style=GNU", "--no-inlines", "-f", "-C", "--obj"}};
  }
  std::string path = resolve_program("addr2line");
  if (!path.empty()) return {"addr2line", {path, "-f", "-C", "-e"}};
  return {};
}

struct Symbol {
  std::string function;
  std::string file;
  int line = 0;
};

// GNU style, two lines per address: "function" then "file:line" ("??" when unknown).
std::vector<Symbol> parse_gnu_output(const std::string& output) {
  std::vector<Symbol> symbols;
  std::istringstream in(output);
  for (std::string function, place; std::getline(in, function) && std::getline(in, place);) {
    Symbol s;
    if (function != "??") s.function = function;
    auto colon = place.rfind(':');
    std::string file = place.substr(0, colon);
    if (file != "??" && colon != std::string::npos) {
      s.file = file;
      s.line = std::atoi(place.c_str() + colon + 1);
      if (s.line == 0) s.file.clear();  // a file without a line is no place to show
    }
    symbols.push_back(s);
  }
  return symbols;
}

}  // namespace

std::string symbolize(std::vector<Finding>* findings) {
  Tool tool = find_tool();
  if (tool.name.empty()) return "";
  std::map<std::string, std::vector<Location*>> by_module;
  for (Finding& f : *findings) {
    by_module[f.location.module].push_back(&f.location);
    for (Step& s : f.chain) by_module[s.location.module].push_back(&s.location);
  }
  for (auto& [module, locations] : by_module) {
    auto elf = module.empty() ? std::nullopt : read_elf(module);
    if (!elf) continue;
    // Return addresses point after the call: look up the byte before.
    std::set<unsigned long long> offsets;
    for (Location* l : locations) offsets.insert(l->offset);
    std::string input;
    for (unsigned long long offset : offsets) {
      std::ostringstream hex;
      hex << "0x" << std::hex << elf->address_of(offset > 0 ? offset - 1 : 0) << "\n";
      input += hex.str();
    }
    std::vector<std::string> argv = tool.argv;
    argv.push_back(module);
    bool ok;
    std::vector<Symbol> symbols = parse_gnu_output(capture_output(argv, input, &ok));
    if (!ok || symbols.size() != offsets.size()) continue;
    std::map<unsigned long long, Symbol> named;
    size_t i = 0;
    for (unsigned long long offset : offsets) named[offset] = symbols[i++];
    for (Location* l : locations) {
      const Symbol& s = named[l->offset];
      l->function = s.function;
      l->file = s.file;
      l->line = s.line;
    }
  }
  return tool.name;
}

}  // namespace forksafe::launcher
