#include "file_io.hpp"

#include <unistd.h>

#include <cerrno>

namespace httpfsm::server {

bool read_range(int fd, std::uint64_t offset, std::span<char> dst) noexcept {
  std::size_t done = 0;
  while (done < dst.size()) {
    const ssize_t n =
        ::pread(fd, dst.data() + done, dst.size() - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace httpfsm::server
