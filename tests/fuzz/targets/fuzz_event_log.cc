// The injector's JSON Lines records as `forksafe run` reads them.
#include <cstdint>
#include <sstream>

#include "injector/launcher/event_log.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  auto log = forksafe::launcher::read_event_log(in, {"prog"});  // never throws: a bad record is counted
  (void)forksafe::launcher::deduplicate(log.findings);
  return 0;
}
