#include <exception>
#include <iostream>

#include "cli/command.h"

namespace forksafe::cli {

int run_guarded(const Command& command, int argc, char** argv) {
  try {
    return command.run(argc, argv);
  } catch (const UsageError& e) {
    std::cerr << "forksafe " << command.name << ": " << e.what() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "forksafe " << command.name << ": error: " << e.what() << "\n";
  }
  return kExitUsage;
}

}  // namespace forksafe::cli
