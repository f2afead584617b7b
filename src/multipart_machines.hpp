// Entry points of the machines generated from grammar/multipart_machines.rl.
#pragma once

namespace httpfsm::detail {

// Start states of MultipartParser's machine: after a delimiter's boundary, after the close
// delimiter's "--".
int multipart_tail_start() noexcept;
int multipart_close_start() noexcept;

// RFC 2046 §5.1.1 boundary, characters only: bchars, the last not a space.
bool is_boundary_chars(const char* p, const char* pe) noexcept;

}  // namespace httpfsm::detail
