#include "common/json_input.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace forksafe {

using nlohmann::json;

namespace {

constexpr size_t kMaxInputBytes = size_t{1} << 30;

struct TooDeep {};

}  // namespace

std::string json_error_text(const json::exception& e) {
  std::string what = e.what();
  auto end = what.find("] ");
  return end == std::string::npos ? what : what.substr(end + 2);
}

void input_error(const std::string& path, const std::string& what) { throw InputError(path + ": " + what); }

std::string read_input(const std::string& path) {
  // O_NONBLOCK: opening a named pipe nobody writes to returns at once (and
  // reads as empty) instead of waiting forever; reads block again below.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) input_error(path, std::string("cannot read: ") + std::strerror(errno));
  struct stat st;
  if (::fstat(fd, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
    ::close(fd);
    input_error(path, S_ISDIR(st.st_mode) ? "is a directory, not a results file" : "is a device, not a file");
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  std::string text;
  if (S_ISREG(st.st_mode) && static_cast<size_t>(st.st_size) <= kMaxInputBytes) text.reserve(st.st_size);
  char buffer[1 << 16];
  ssize_t n;
  while ((n = ::read(fd, buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR)) {
    if (n > 0) text.append(buffer, n);
    if (text.size() > kMaxInputBytes) break;
  }
  int read_errno = errno;
  ::close(fd);
  if (n < 0) input_error(path, std::string("cannot read: ") + std::strerror(read_errno));
  if (text.size() > kMaxInputBytes) input_error(path, "larger than 1 GiB, not a results file");
  if (text.empty()) input_error(path, "is empty, not a results file");
  return text;
}

json parse_json_input(const std::string& path, std::string_view text) {
  auto limit = [](int depth, json::parse_event_t, json&) {
    if (depth > kMaxJsonDepth) throw TooDeep{};
    return true;
  };
  try {
    return json::parse(text, limit);
  } catch (const TooDeep&) {
    input_error(path, "invalid JSON: nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  } catch (const json::exception& e) {
    input_error(path, "invalid JSON: " + json_error_text(e));
  }
}

}  // namespace forksafe
