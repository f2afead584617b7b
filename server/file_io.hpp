// The one whole-range read: [offset, offset + dst.size()) of a file, through pread() (no file
// position, so several readers may share a descriptor), resumed after short reads and EINTR.
#pragma once

#include <cstdint>
#include <span>

namespace httpfsm::server {

// False when the file ended early or a read failed (errno tells which); `dst` is then
// partly written.
bool read_range(int fd, std::uint64_t offset, std::span<char> dst) noexcept;

}  // namespace httpfsm::server
