// See input_file.hpp. The file is opened without blocking (a FIFO with no writer would otherwise hang the
// open), then fstat on the same descriptor decides, so the check and the read see the same file.
#include "scenario/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace civicgrid::scenario {
namespace {

std::string mebibytes(std::size_t bytes) {
  const double value = static_cast<double>(bytes) / (1 << 20);
  char text[32];
  std::snprintf(text, sizeof text, value < 10 ? "%.1f MiB" : "%.0f MiB", value);
  return text;
}

std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a named pipe (FIFO)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

std::optional<std::size_t> first_invalid_utf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  for (std::size_t i = 0; i < size;) {
    const unsigned char lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;   // the allowed range of the second byte (RFC 3629 table)
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) low = 0xA0;
      if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) low = 0x90;
      if (lead == 0xF4) high = 0x8F;
    } else {
      return i;
    }
    if (i + length > size) return i;
    if (bytes[i + 1] < low || bytes[i + 1] > high) return i;
    for (std::size_t k = 2; k < length; ++k)
      if (bytes[i + k] < 0x80 || bytes[i + k] > 0xBF) return i;
    i += length;
  }
  return std::nullopt;
}

Origin position_in_text(const std::string& file, std::string_view text, std::size_t offset) {
  Origin origin{file, 1, 1};
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++origin.line;
      origin.col = 1;
    } else {
      ++origin.col;
    }
  }
  return origin;
}

std::optional<std::string> read_input_text(const InputFileRequest& request, std::vector<Diagnostic>& problems) {
  const Origin& at = request.named_at;
  const bool named = !at.file.empty();
  const auto refuse = [&](const std::string& message, const std::string& hint) {
    if (named)
      problems.push_back({at.file, at.line, at.col, request.key_path, request.path + ": " + message, hint});
    else
      problems.push_back({request.path, 0, 0, "", message, hint});
    return std::nullopt;
  };
  const FileDescriptor file(::open(request.path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (file.get() < 0) {
    const int error = errno;
    return refuse(std::string("cannot open file: ") + std::strerror(error),
                  named ? "paths are relative to the file that names them" : "check the path");
  }
  struct stat status {};
  if (::fstat(file.get(), &status) != 0) return refuse(std::string("cannot read file: ") + std::strerror(errno), "");
  if (!S_ISREG(status.st_mode))
    return refuse("is " + kind_of(status.st_mode) + ", not a file", "give the path of a regular file");
  const auto size_bytes = static_cast<std::size_t>(status.st_size);
  if (size_bytes > request.max_size_bytes)
    return refuse("is " + mebibytes(size_bytes) + ", more than the " + mebibytes(request.max_size_bytes) +
                      " civicgrid reads for this kind of file",
                  "check that this is the intended file");
  std::string text(size_bytes, '\0');
  std::size_t filled = 0;
  while (filled < size_bytes) {
    const ssize_t got = ::read(file.get(), text.data() + filled, size_bytes - filled);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return refuse(std::string("cannot read file: ") + std::strerror(errno), "");
    if (got == 0) break;   // the file shrank while being read: use what is there, the parser will judge it
    filled += static_cast<std::size_t>(got);
  }
  text.resize(filled);
  // Excel's "CSV UTF-8" and Windows Notepad begin with a byte-order mark; it carries no data.
  const std::size_t mark_bytes = text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
  if (const auto bad = first_invalid_utf8(std::string_view(text).substr(mark_bytes))) {
    const Origin position = position_in_text(request.path, text, *bad + mark_bytes);
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[*bad]));
    problems.push_back({request.path, position.line, position.col, request.key_path,
                        "not UTF-8 text: byte " + std::string(byte) + " at byte offset " +
                            std::to_string(*bad + mark_bytes),
                        "save it as UTF-8, e.g. iconv -f GBK -t UTF-8 '" + request.path + "' > '" + request.path + ".utf8'"});
    return std::nullopt;
  }
  text.erase(0, mark_bytes);
  return text;
}

}  // namespace civicgrid::scenario
