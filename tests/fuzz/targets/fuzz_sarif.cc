// SARIF as `forksafe merge` reads it: parse with the depth limit, read the
// findings, merge the log with itself and write it out again.
#include <cstdint>
#include <sstream>

#include "common/json_input.h"
#include "common/sarif.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    nlohmann::json log = forksafe::parse_json_input("fuzz.sarif", {reinterpret_cast<const char*>(data), size});
    std::vector<forksafe::Finding> findings;
    std::string error;
    if (!forksafe::findings_from_sarif(log, &findings, &error)) return 0;
    nlohmann::json merged = forksafe::merge_sarif({log, log});
    (void)merged.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (const forksafe::InputError&) {
  } catch (const nlohmann::json::exception&) {
    // A wrong type deep in a result: the commands turn it into a line naming the file.
  }
  return 0;
}
