// Names of the request-head enumerations, for logs, tools and test output. The switches have
// no default, so a new enumerator without a name is a compiler warning (an error in CI).
#include "httpfsm/request_head.hpp"

namespace httpfsm {

std::string_view method_token(Method m) noexcept {
  switch (m) {
    case Method::get:
      return "GET";
    case Method::head:
      return "HEAD";
    case Method::post:
      return "POST";
    case Method::put:
      return "PUT";
    case Method::delete_:
      return "DELETE";
    case Method::connect:
      return "CONNECT";
    case Method::options:
      return "OPTIONS";
    case Method::trace:
      return "TRACE";
    case Method::patch:
      return "PATCH";
    case Method::other:
      break;
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
  }
  return {};
}

}  // namespace httpfsm
