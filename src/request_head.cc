// Names of the request-head enumerations, for logs, tools and test output. Method and field
// names are tables expanded from their X-lists (in enum order, so they cannot drift); the
// switches have no default, so a new enumerator without a name is a compiler warning (an error
// in CI).
#include "httpfsm/request_head.hpp"

namespace httpfsm {

// Indexed by the enum (Method::other is 0 and has no token); a value past the last has none.
constexpr std::string_view kMethodTokens[] = {"",
#define HTTPFSM_X(name, token, c_name, reference) token,
                                              HTTPFSM_METHOD_LIST(HTTPFSM_X)
#undef HTTPFSM_X
};
static_assert(std::size(kMethodTokens) == kMethodCount);

constexpr std::string_view kKnownFieldNames[] = {
#define HTTPFSM_X(name, field_name, c_name, has_rules) field_name,
    HTTPFSM_KNOWN_FIELD_LIST(HTTPFSM_X)
#undef HTTPFSM_X
};
static_assert(std::size(kKnownFieldNames) == kKnownFieldCount);

std::string_view method_token(Method m) noexcept {
  const auto i = static_cast<std::size_t>(m);
  return i < kMethodCount ? kMethodTokens[i] : std::string_view{};
}

std::string_view known_field_name(KnownField k) noexcept {
  const auto i = static_cast<std::size_t>(k);
  return i < kKnownFieldCount ? kKnownFieldNames[i] : std::string_view{};
}

std::string_view target_form_name(TargetForm f) noexcept {
  switch (f) {
    case TargetForm::origin:
      return "origin";
    case TargetForm::absolute:
      return "absolute";
    case TargetForm::authority:
      return "authority";
    case TargetForm::asterisk:
      return "asterisk";
  }
  return {};
}

std::string_view framing_name(Framing f) noexcept {
  switch (f) {
    case Framing::no_body:
      return "no_body";
    case Framing::content_length:
      return "content_length";
    case Framing::chunked:
      return "chunked";
    case Framing::until_close:
      return "until_close";
  }
  return {};
}

}  // namespace httpfsm
