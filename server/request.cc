#include "httpfsm/server/request.hpp"

#include "context.hpp"
#include "httpfsm/cookie.hpp"
#include "httpfsm/urlencoded.hpp"

namespace httpfsm::server {

std::optional<std::string_view> Request::query_param(std::string_view name) const noexcept {
  FormReader reader(raw_query);
  FormPair raw;
  while (reader.next(raw)) {
    if (!form_component_equals(raw.name, name)) continue;
    // Nothing to decode: the raw bytes are the value (the common case, no copy at all).
    if (raw.value.find_first_of("+%") == std::string_view::npos) return raw.value;
    if (context == nullptr) return std::nullopt;
    std::vector<char>& scratch = context->query_buffer;
    const auto offset = static_cast<std::size_t>(raw.value.data() - raw_query.data());
    if (offset + raw.value.size() > scratch.size()) return std::nullopt;
    const std::span<char> out(scratch.data() + offset, raw.value.size());
    const std::size_t n = decode_form_component(raw.value, out);
    if (n == SIZE_MAX) return std::nullopt;  // cannot happen: decoding never lengthens
    return std::string_view(out.data(), n);
  }
  return std::nullopt;
}

std::optional<std::string_view> Request::query_param(std::string_view name,
                                                     std::span<char> buffer) const noexcept {
  return find_form_value(raw_query, name, buffer);
}

std::optional<std::string_view> Request::cookie(std::string_view name) const noexcept {
  if (head == nullptr) return std::nullopt;
  // RFC 6265 §5.4 allows one Cookie field, but HTTP/2 gateways split it (RFC 9113 §8.2.3):
  // each line is read in turn.
  for (const Field& f : head->fields) {
    if (!iequals(text(message, f.name), "cookie")) continue;
    if (auto v = find_cookie(text(message, f.value), name)) return v;
  }
  return std::nullopt;
}

}  // namespace httpfsm::server
