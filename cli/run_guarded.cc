#include <exception>
#include <iostream>

#include "cli/command.h"
#include "common/json_input.h"
#include "common/output_file.h"

namespace forksafe::cli {

int run_guarded(const Command& command, int argc, char** argv) {
  auto say = [&](const std::string& line) { std::cerr << "forksafe " << command.name << ": " << line << "\n"; };
  try {
    return command.run(argc, argv);
  } catch (const UsageError& e) {
    say(e.what());
  } catch (const OutputError& e) {
    say(e.what());
  } catch (const InputError& e) {
    say(e.what());
  } catch (const std::exception& e) {
    say(std::string("error: ") + e.what());
  }
  return kExitUsage;
}

}  // namespace forksafe::cli
