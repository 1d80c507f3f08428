#include "injector/launcher/symbolizer.h"

#include <future>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

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
  // --inlines: an address inside inlined code names every function it was
  // inlined through, innermost first (JSON: one line per address).
  for (const char* name : {"llvm-symbolizer", "llvm-symbolizer-14"}) {
    std::string path = resolve_program(name);
    if (!path.empty()) return {"llvm-symbolizer", {path, "--output-style=JSON", "--inlines", "-f", "-C", "--obj"}};
  }
  std::string path = resolve_program("addr2line");
  if (!path.empty()) return {"addr2line", {path, "-a", "-i", "-f", "-C", "-e"}};
  return {};
}

struct Symbol {
  std::string function;
  std::string file;
  int line = 0;
};
using Frames = std::vector<Symbol>;  // one address: innermost (inlined) first

Symbol symbol(std::string function, std::string file, int line) {
  Symbol s;
  if (function != "??") s.function = std::move(function);
  if (file != "??" && !file.empty() && line > 0) {  // a file without a line is no place to show
    s.file = std::move(file);
    s.line = line;
  }
  return s;
}

// llvm-symbolizer's JSON: {"Address":..,"Symbol":[{"FunctionName":..,"FileName":..,"Line":..},...]} a line.
std::vector<Frames> parse_json_output(const std::string& output) {
  std::vector<Frames> addresses;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);) {
    nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
    if (!record.is_object()) continue;
    Frames frames;
    for (const auto& s : record.value("Symbol", nlohmann::json::array())) {
      frames.push_back(symbol(s.value("FunctionName", ""), s.value("FileName", ""), s.value("Line", 0)));
    }
    if (frames.empty()) frames.push_back({});
    addresses.push_back(frames);
  }
  return addresses;
}

// addr2line -a -i: "0xADDRESS" then "function" and "file:line" pairs, one pair per inlined level.
std::vector<Frames> parse_addr2line_output(const std::string& output) {
  std::vector<Frames> addresses;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("0x", 0) == 0) {
      addresses.emplace_back();
      continue;
    }
    std::string place;
    if (addresses.empty() || !std::getline(in, place)) break;
    auto colon = place.rfind(':');
    int number = colon == std::string::npos ? 0 : std::atoi(place.c_str() + colon + 1);
    addresses.back().push_back(symbol(line, place.substr(0, colon), number));
  }
  return addresses;
}

// Each module's offsets named, with the tool run once per module, all of
// them at once: a test suite's stacks run through several large programs
// (git's DWARF alone takes a third of a second), and the run's report waits.
std::map<std::string, std::map<unsigned long long, Frames>> name_offsets(
    const Tool& tool, const std::map<std::string, std::set<unsigned long long>>& offsets_by_module) {
  struct Run {
    const std::string* module;
    const std::set<unsigned long long>* offsets;
    std::future<std::pair<bool, std::string>> output;
  };
  std::vector<Run> runs;
  for (const auto& [module, offsets] : offsets_by_module) {
    auto elf = module.empty() ? std::nullopt : read_elf(module);
    if (!elf) continue;
    // Return addresses point after the call: look up the byte before.
    std::string input;
    for (unsigned long long offset : offsets) {
      std::ostringstream hex;
      hex << "0x" << std::hex << elf->address_of(offset > 0 ? offset - 1 : 0) << "\n";
      input += hex.str();
    }
    std::vector<std::string> argv = tool.argv;
    argv.push_back(module);
    runs.push_back({&module, &offsets, std::async(std::launch::async, [argv, input] {
                      bool ok;
                      std::string output = capture_output(argv, input, &ok);
                      return std::make_pair(ok, std::move(output));
                    })});
  }
  std::map<std::string, std::map<unsigned long long, Frames>> named;
  for (Run& run : runs) {
    auto [ok, output] = run.output.get();
    std::vector<Frames> frames = tool.name == "addr2line" ? parse_addr2line_output(output) : parse_json_output(output);
    if (!ok || frames.size() != run.offsets->size()) continue;
    size_t i = 0;
    for (unsigned long long offset : *run.offsets) named[*run.module][offset] = frames[i++];
  }
  return named;
}

void name(Location* l, const Symbol& s) {
  l->function = s.function;
  l->file = s.file;
  l->line = s.line;
}

}  // namespace

std::string symbolize(std::vector<Finding>* findings) {
  Tool tool = find_tool();
  if (tool.name.empty()) return "";
  std::map<std::string, std::set<unsigned long long>> offsets;
  for (const Finding& f : *findings) {
    offsets[f.location.module].insert(f.location.offset);
    for (const Step& s : f.chain) offsets[s.location.module].insert(s.location.offset);
  }
  auto named = name_offsets(tool, offsets);
  auto frames_of = [&](const Location& l) -> const Frames* {
    auto module = named.find(l.module);
    if (module == named.end()) return nullptr;
    auto frames = module->second.find(l.offset);
    return frames == module->second.end() || frames->second.empty() ? nullptr : &frames->second;
  };
  for (Finding& f : *findings) {
    if (const Frames* frames = frames_of(f.location)) name(&f.location, frames->front());
    // The chain runs outermost first: a frame with inlined code becomes its
    // function, then each function inlined into it, down to the innermost.
    std::vector<Step> chain;
    for (const Step& step : f.chain) {
      const Frames* frames = frames_of(step.location);
      if (!frames) {
        chain.push_back(step);
        continue;
      }
      for (auto it = frames->rbegin(); it != frames->rend(); ++it) {
        Step named_step = step;
        name(&named_step.location, *it);
        if (std::next(it) != frames->rend()) named_step.message = "calls (inlined)";
        chain.push_back(named_step);
      }
    }
    f.chain = std::move(chain);
  }
  return tool.name;
}

}  // namespace forksafe::launcher
