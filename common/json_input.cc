#include "common/json_input.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ext/stdio_filebuf.h>
#include <istream>
#include <optional>

namespace forksafe {

using nlohmann::json;

namespace {

constexpr size_t kMaxInputBytes = size_t{1} << 30;

struct TooDeep {};
struct SyntaxError {  // from the parser, not from what a callback throws
  std::string text;
};

// Opens an input as read_input does; the descriptor blocks again for reading.
int open_input(const std::string& path, struct stat* st) {
  // O_NONBLOCK: opening a named pipe nobody writes to returns at once (and
  // reads as empty) instead of waiting forever; reads block again below.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) input_error(path, std::string("cannot read: ") + std::strerror(errno));
  if (::fstat(fd, st) == 0 && !S_ISREG(st->st_mode) && !S_ISFIFO(st->st_mode)) {
    ::close(fd);
    input_error(path, S_ISDIR(st->st_mode) ? "is a directory, not a results file" : "is a device, not a file");
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

// SAX events into a DOM (the skeleton), except the elements of
// runs[N].results, each built alone, handed on and dropped.
class Streamer {
 public:
  using Each = std::function<void(size_t, json&)>;
  Streamer(json* skeleton, const Each& each) : skeleton_(*skeleton), each_(each) {}

  bool null() { return scalar([](auto& p) { return p.null(); }); }
  bool boolean(bool v) { return scalar([&](auto& p) { return p.boolean(v); }); }
  bool number_integer(json::number_integer_t v) { return scalar([&](auto& p) { return p.number_integer(v); }); }
  bool number_unsigned(json::number_unsigned_t v) { return scalar([&](auto& p) { return p.number_unsigned(v); }); }
  bool number_float(json::number_float_t v, const json::string_t& s) {
    return scalar([&](auto& p) { return p.number_float(v, s); });
  }
  bool string(json::string_t& v) { return scalar([&](auto& p) { return p.string(v); }); }
  bool binary(json::binary_t& v) { return scalar([&](auto& p) { return p.binary(v); }); }
  bool start_object(std::size_t n) { return open(false, [&](auto& p) { return p.start_object(n); }); }
  bool start_array(std::size_t n) { return open(true, [&](auto& p) { return p.start_array(n); }); }
  bool end_object() { return close([](auto& p) { return p.end_object(); }); }
  bool end_array() { return close([](auto& p) { return p.end_array(); }); }
  bool key(json::string_t& k) {
    if (!result_) frames_.back().key = k;
    return result_ ? result_->key(k) : skeleton_.key(k);
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    throw SyntaxError{json_error_text(e)};
  }

 private:
  using Dom = nlohmann::detail::json_sax_dom_parser<json>;
  struct Frame {
    bool array;
    std::string key;  // objects: the last key seen
    size_t count = 0; // arrays: elements started
  };

  // A value starts: at runs[N].results[...] a result begins.
  void starting() {
    if (result_ || frames_.empty()) return;
    if (frames_.back().array) ++frames_.back().count;
    if (frames_.size() == 4 && !frames_[0].array && frames_[0].key == "runs" && frames_[1].array &&
        !frames_[2].array && frames_[2].key == "results" && frames_[3].array) {
      run_ = frames_[1].count - 1;
      current_ = json();
      result_.emplace(current_);
      depth_in_result_ = 0;
    }
  }
  void finish_result() {
    if (each_) each_(run_, current_);
    result_.reset();
    current_ = json();
  }
  template <typename F> bool scalar(F f) {
    starting();
    if (!result_) return f(skeleton_);
    bool ok = f(*result_);
    if (depth_in_result_ == 0) finish_result();
    return ok;
  }
  template <typename F> bool open(bool array, F f) {
    starting();
    if (frames_.size() + depth_in_result_ >= static_cast<size_t>(kMaxJsonDepth)) throw TooDeep{};
    if (result_) {
      ++depth_in_result_;
      return f(*result_);
    }
    frames_.push_back({array, "", 0});
    return f(skeleton_);
  }
  template <typename F> bool close(F f) {
    if (result_) {
      bool ok = f(*result_);
      if (--depth_in_result_ == 0) finish_result();
      return ok;
    }
    frames_.pop_back();
    return f(skeleton_);
  }

  Dom skeleton_;
  const Each& each_;
  std::vector<Frame> frames_;
  json current_;
  std::optional<Dom> result_;
  size_t depth_in_result_ = 0;
  size_t run_ = 0;
};

}  // namespace

std::string json_error_text(const json::exception& e) {
  std::string what = e.what();
  auto end = what.find("] ");
  return end == std::string::npos ? what : what.substr(end + 2);
}

void input_error(const std::string& path, const std::string& what) { throw InputError(path + ": " + what); }

std::string read_input(const std::string& path) {
  struct stat st;
  int fd = open_input(path, &st);
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

namespace forksafe {

void stream_json_input(const std::string& path, json* skeleton,
                       const std::function<void(size_t, json&)>& each_result, bool* rereadable) {
  struct stat st;
  int fd = open_input(path, &st);
  if (rereadable) *rereadable = S_ISREG(st.st_mode);
  __gnu_cxx::stdio_filebuf<char> buffer(fd, std::ios::in, 1 << 16);  // closes fd
  std::istream in(&buffer);
  if (in.peek() == std::char_traits<char>::eof()) {
    if (in.bad()) input_error(path, std::string("cannot read: ") + std::strerror(errno));
    input_error(path, "is empty, not a results file");
  }
  *skeleton = json();
  Streamer streamer(skeleton, each_result);
  try {
    json::sax_parse(in, &streamer);
  } catch (const TooDeep&) {
    input_error(path, "invalid JSON: nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  } catch (const SyntaxError& e) {
    input_error(path, "invalid JSON: " + e.text);
  }
  if (in.bad()) input_error(path, std::string("cannot read: ") + std::strerror(errno));
}

}  // namespace forksafe
