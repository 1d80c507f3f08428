#include <algorithm>
#include <iostream>
#include <string_view>

#include "cli/command.h"

namespace po = boost::program_options;

namespace forksafe::cli {

po::variables_map parse_options(int argc, char** argv, const po::options_description& options,
                                const po::positional_options_description& positional,
                                const std::string& usage, std::optional<int>* exit_now,
                                std::vector<std::string>* rest) {
  // Split at "--": what follows belongs to a compiler or a command, not to us.
  char** end = std::find_if(argv + 1, argv + argc, [](char* a) { return std::string_view(a) == "--"; });
  if (end != argv + argc) {
    if (!rest) throw UsageError("unexpected '--'");
    rest->assign(end + 1, argv + argc);
  }
  po::options_description all(options);
  all.add_options()("help,h", "show this help");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(static_cast<int>(end - argv), argv)
                  .options(all)
                  .positional(positional)
                  .run(),
              vm);
    if (vm.count("help")) {
      std::cout << "usage: " << usage << "\n\n" << all;
      *exit_now = kExitClean;
      return vm;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(e.what());
  }
  return vm;
}

}  // namespace forksafe::cli
