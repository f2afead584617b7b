#include "log_files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace httpfsm::server {

namespace {

bool redirect(const std::string& path, int target, const char* flag, std::string* error) {
  if (path.empty()) return true;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    *error = std::string(flag) + " " + path + ": " + std::strerror(errno);
    return false;
  }
  // dup2 swaps the descriptor in one step; the copy it makes is not close-on-exec, like
  // the standard stream it replaces.
  int ret = 0;
  do {
    ret = ::dup2(fd, target);
  } while (ret < 0 && errno == EINTR);
  const int saved = errno;
  ::close(fd);
  if (ret < 0) {
    *error = std::string(flag) + " " + path + ": " + std::strerror(saved);
    return false;
  }
  return true;
}

}  // namespace

bool open_log_files(const std::string& access_log, const std::string& error_log,
                    std::string* error) {
  // Both are tried, so a failing error log does not keep the access log in the old file.
  std::string access_error;
  const bool access_ok = redirect(access_log, STDOUT_FILENO, "--access-log", &access_error);
  const bool error_ok = redirect(error_log, STDERR_FILENO, "--error-log", error);
  if (!access_ok) *error = access_error;
  return access_ok && error_ok;
}

}  // namespace httpfsm::server
