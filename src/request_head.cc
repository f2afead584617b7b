// Names of the request-head enumerations, for logs, tools and test output. Method and field
// names expand their X-lists; the other switches have no default, so a new enumerator without
// a name is a compiler warning (an error in CI).
#include "httpfsm/request_head.hpp"

namespace httpfsm {

std::string_view method_token(Method m) noexcept {
  switch (m) {
#define HTTPFSM_X(name, token, c_name, reference) \
  case Method::name:                              \
    return token;
    HTTPFSM_METHOD_LIST(HTTPFSM_X)
#undef HTTPFSM_X
    case Method::other:
      break;
  }
  return {};
}

std::string_view known_field_name(KnownField k) noexcept {
  switch (k) {
#define HTTPFSM_X(name, field_name, c_name, has_rules) \
  case KnownField::name:                               \
    return field_name;
    HTTPFSM_KNOWN_FIELD_LIST(HTTPFSM_X)
#undef HTTPFSM_X
  }
  return {};
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
