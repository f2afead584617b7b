// Tables generated from HTTPFSM_ERROR_LIST, so the names, statuses, references and messages
// can never fall out of step with the enum.
#include "httpfsm/error.hpp"

#include <array>

namespace httpfsm {

namespace {

struct ErrorInfo {
  std::string_view name;
  int status;
  std::string_view reference;
  std::string_view message;
};

constexpr std::array<ErrorInfo, kErrorCount> kErrors{{
#define HTTPFSM_X(name, status, reference, message) {#name, status, reference, message},
    HTTPFSM_ERROR_LIST(HTTPFSM_X)
#undef HTTPFSM_X
}};

const ErrorInfo& info(Error e) noexcept {
  const auto i = static_cast<std::size_t>(e);
  return kErrors[i < kErrors.size() ? i : 0];
}

}  // namespace

std::string_view error_name(Error e) noexcept { return info(e).name; }
int error_status(Error e) noexcept { return info(e).status; }
std::string_view error_reference(Error e) noexcept { return info(e).reference; }
std::string_view error_message(Error e) noexcept { return info(e).message; }

}  // namespace httpfsm
