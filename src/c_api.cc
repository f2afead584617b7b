// The C API (httpfsm/httpfsm.h): opaque handles around HeadParser, ResponseHeadParser,
// BodyDecoder and the message readers, and the error tables as NUL-terminated strings. Every
// function but the create functions is a noexcept call into C++, so no exception can cross
// into C; the create functions catch bad_alloc and return NULL.
#include "httpfsm/httpfsm.h"

#include <new>
#include <optional>
#include <span>
#include <string_view>

#include "httpfsm/body_decoder.hpp"
#include "httpfsm/error.hpp"
#include "httpfsm/head_parser.hpp"
#include "httpfsm/limits.hpp"
#include "httpfsm/message_reader.hpp"
#include "httpfsm/request_head.hpp"
#include "httpfsm/response_head_parser.hpp"

struct httpfsm_parser {
  explicit httpfsm_parser(const httpfsm::Limits& limits) : parser(limits) {}
  httpfsm::HeadParser parser;
};

struct httpfsm_response_parser {
  explicit httpfsm_response_parser(const httpfsm::Limits& limits) : parser(limits) {}
  httpfsm::ResponseHeadParser parser;
};

struct httpfsm_body {
  explicit httpfsm_body(const httpfsm::Limits& limits) : decoder(limits) {}
  httpfsm::BodyDecoder decoder;
};

// Exactly one of the two is engaged, by the create function.
struct httpfsm_reader {
  std::optional<httpfsm::RequestReader> request;
  std::optional<httpfsm::ResponseReader> response;
};

namespace {

using httpfsm::Error;
using httpfsm::Progress;

// The C enums mirror the C++ ones value for value, so conversions are plain casts.
#define HTTPFSM_X(name, status, reference, message) \
  static_assert(HTTPFSM_ERROR_##name == static_cast<int>(Error::name));
HTTPFSM_ERROR_LIST(HTTPFSM_X)
#undef HTTPFSM_X
static_assert(HTTPFSM_ERROR_COUNT == httpfsm::kErrorCount);
static_assert(HTTPFSM_NEED_MORE == static_cast<int>(Progress::need_more));
static_assert(HTTPFSM_COMPLETE == static_cast<int>(Progress::complete));
static_assert(HTTPFSM_FAILED == static_cast<int>(Progress::failed));
static_assert(HTTPFSM_FRAMING_NO_BODY == static_cast<int>(httpfsm::Framing::no_body));
static_assert(HTTPFSM_FRAMING_CONTENT_LENGTH == static_cast<int>(httpfsm::Framing::content_length));
static_assert(HTTPFSM_FRAMING_CHUNKED == static_cast<int>(httpfsm::Framing::chunked));
static_assert(HTTPFSM_FRAMING_UNTIL_CLOSE == static_cast<int>(httpfsm::Framing::until_close));
// Methods and known fields: both sides expand the same X-lists, so these only guard the
// expansion itself.
static_assert(HTTPFSM_METHOD_OTHER == static_cast<int>(httpfsm::Method::other));
#define HTTPFSM_X(name, token, c_name, reference) \
  static_assert(HTTPFSM_METHOD_##c_name == static_cast<int>(httpfsm::Method::name));
HTTPFSM_METHOD_LIST(HTTPFSM_X)
#undef HTTPFSM_X
static_assert(HTTPFSM_METHOD_COUNT == httpfsm::kMethodCount);
static_assert(HTTPFSM_TARGET_ORIGIN == static_cast<int>(httpfsm::TargetForm::origin));
static_assert(HTTPFSM_TARGET_ABSOLUTE == static_cast<int>(httpfsm::TargetForm::absolute));
static_assert(HTTPFSM_TARGET_AUTHORITY == static_cast<int>(httpfsm::TargetForm::authority));
static_assert(HTTPFSM_TARGET_ASTERISK == static_cast<int>(httpfsm::TargetForm::asterisk));
#define HTTPFSM_X(name, field_name, c_name, has_rules) \
  static_assert(HTTPFSM_FIELD_##c_name == static_cast<int>(httpfsm::KnownField::name));
HTTPFSM_KNOWN_FIELD_LIST(HTTPFSM_X)
#undef HTTPFSM_X
static_assert(HTTPFSM_FIELD_COUNT == httpfsm::kKnownFieldCount);

// The X-list's string literals, so every string handed to C is NUL-terminated.
struct ErrorStrings {
  const char* name;
  int status;
  const char* reference;
  const char* message;
};
constexpr ErrorStrings kErrorStrings[] = {
#define HTTPFSM_X(name, status, reference, message) {#name, status, reference, message},
    HTTPFSM_ERROR_LIST(HTTPFSM_X)
#undef HTTPFSM_X
};

// Out-of-range values read as `none`, as httpfsm::error_name() does.
const ErrorStrings& strings(httpfsm_error e) noexcept {
  const auto i = static_cast<unsigned>(e);
  return kErrorStrings[i < HTTPFSM_ERROR_COUNT ? i : 0];
}

httpfsm::Limits to_limits(const httpfsm_limits* l) noexcept {
  if (l == nullptr) return httpfsm::Limits{};
  return httpfsm::Limits{l->max_method, l->max_target, l->max_field_line, l->max_fields,
                         l->max_head,   l->max_body,   l->max_chunk_ext,  l->max_trailer};
}

httpfsm_progress to_c(Progress p) noexcept { return static_cast<httpfsm_progress>(p); }
httpfsm_error to_c(Error e) noexcept { return static_cast<httpfsm_error>(e); }

httpfsm_str to_str(const char* base, httpfsm::Span s) noexcept {
  return {base + s.offset, s.length};
}

bool set_field(const char* base, const httpfsm::Field* f, httpfsm_field* out) noexcept {
  if (f == nullptr) {
    *out = httpfsm_field{{nullptr, 0}, {nullptr, 0}};
    return false;
  }
  *out = httpfsm_field{to_str(base, f->name), to_str(base, f->value)};
  return true;
}

// The head, or nullptr unless complete: before that its spans are not meaningful.
const httpfsm::RequestHead* complete_head(const httpfsm_parser* p) noexcept {
  return p->parser.progress() == Progress::complete ? &p->parser.head() : nullptr;
}

const httpfsm::ResponseHead* complete_head(const httpfsm_response_parser* p) noexcept {
  return p->parser.progress() == Progress::complete ? &p->parser.head() : nullptr;
}

// A method from C; out-of-range values read as OTHER rather than being cast into the enum.
httpfsm::Method to_method(httpfsm_method method) noexcept {
  const auto m = static_cast<unsigned>(method);
  return m < httpfsm::kMethodCount ? static_cast<httpfsm::Method>(m) : httpfsm::Method::other;
}

// Calls `f` with whichever reader `r` holds.
template <class Reader, class F>
decltype(auto) visit(Reader* r, F&& f) {
  if (r->request) return f(*r->request);
  return f(*r->response);
}

static_assert(HTTPFSM_READ_CLOSED == static_cast<int>(httpfsm::ReadEvent::closed));
static_assert(HTTPFSM_READ_SWITCHED == static_cast<int>(httpfsm::ReadEvent::switched));
static_assert(HTTPFSM_READ_NEED_MORE == static_cast<int>(httpfsm::ReadEvent::need_more));

httpfsm_read_step to_c(const httpfsm::ReadStep& s) noexcept {
  return {static_cast<httpfsm_read_event>(s.event), s.consumed, s.data.data(), s.data.size()};
}

}  // namespace

extern "C" {

const char* httpfsm_error_name(httpfsm_error e) { return strings(e).name; }
int httpfsm_error_status(httpfsm_error e) { return strings(e).status; }
const char* httpfsm_error_reference(httpfsm_error e) { return strings(e).reference; }
const char* httpfsm_error_message(httpfsm_error e) { return strings(e).message; }

httpfsm_limits httpfsm_default_limits(void) {
  const httpfsm::Limits d;
  return httpfsm_limits{d.max_method, d.max_target, d.max_field_line, d.max_fields,
                        d.max_head,   d.max_body,   d.max_chunk_ext,  d.max_trailer};
}

const char* httpfsm_version(void) { return HTTPFSM_VERSION_STRING; }

// ---- head parser ----

httpfsm_parser* httpfsm_parser_create(const httpfsm_limits* limits) {
  try {
    return new httpfsm_parser(to_limits(limits));
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}

void httpfsm_parser_destroy(httpfsm_parser* p) { delete p; }

httpfsm_progress httpfsm_parser_parse(httpfsm_parser* p, const char* message, size_t size) {
  return to_c(p->parser.parse(std::span<const char>(message, size)));
}

void httpfsm_parser_reset(httpfsm_parser* p) { p->parser.reset(); }

httpfsm_progress httpfsm_parser_progress(const httpfsm_parser* p) {
  return to_c(p->parser.progress());
}
uint32_t httpfsm_parser_consumed(const httpfsm_parser* p) { return p->parser.consumed(); }
httpfsm_error httpfsm_parser_error(const httpfsm_parser* p) { return to_c(p->parser.error()); }
uint32_t httpfsm_parser_error_offset(const httpfsm_parser* p) {
  return p->parser.progress() == Progress::failed ? p->parser.error_offset() : 0;
}

httpfsm_str httpfsm_parser_method(const httpfsm_parser* p, const char* base) {
  const httpfsm::RequestHead* h = complete_head(p);
  return h == nullptr ? httpfsm_str{nullptr, 0} : to_str(base, h->method);
}
httpfsm_method httpfsm_parser_method_id(const httpfsm_parser* p) {
  const httpfsm::RequestHead* h = complete_head(p);
  return h == nullptr ? HTTPFSM_METHOD_OTHER : static_cast<httpfsm_method>(h->method_id);
}
httpfsm_str httpfsm_parser_target(const httpfsm_parser* p, const char* base) {
  const httpfsm::RequestHead* h = complete_head(p);
  return h == nullptr ? httpfsm_str{nullptr, 0} : to_str(base, h->target);
}
httpfsm_target_form httpfsm_parser_target_form(const httpfsm_parser* p) {
  const httpfsm::RequestHead* h = complete_head(p);
  return h == nullptr ? HTTPFSM_TARGET_ORIGIN : static_cast<httpfsm_target_form>(h->target_form);
}
int httpfsm_parser_version_minor(const httpfsm_parser* p) {
  const httpfsm::RequestHead* h = complete_head(p);
  return h == nullptr ? 1 : h->version_minor;
}
size_t httpfsm_parser_field_count(const httpfsm_parser* p) {
  const httpfsm::RequestHead* h = complete_head(p);
  return h == nullptr ? 0 : h->fields.size();
}
bool httpfsm_parser_field(const httpfsm_parser* p, const char* base, size_t index,
                          httpfsm_field* out) {
  const httpfsm::RequestHead* h = complete_head(p);
  const bool found = h != nullptr && index < h->fields.size();
  return set_field(base, found ? &h->fields[index] : nullptr, out);
}
bool httpfsm_parser_known_field(const httpfsm_parser* p, const char* base, httpfsm_known_field k,
                                httpfsm_field* out) {
  const httpfsm::RequestHead* h = complete_head(p);
  const auto i = static_cast<unsigned>(k);
  const bool valid = h != nullptr && i < httpfsm::kKnownFieldCount;
  return set_field(base, valid ? h->field(static_cast<httpfsm::KnownField>(i)) : nullptr, out);
}
bool httpfsm_parser_find_field(const httpfsm_parser* p, const char* base, const char* name,
                               size_t name_size, httpfsm_field* out) {
  const httpfsm::RequestHead* h = complete_head(p);
  if (h == nullptr) return set_field(base, nullptr, out);
  // The spans index the message, whose size the caller did not give: consumed() bytes (the
  // head) are enough, since every span lies inside the head.
  const std::span<const char> message(base, p->parser.consumed());
  return set_field(base, h->find(message, std::string_view(name, name_size)), out);
}
httpfsm_framing httpfsm_parser_framing(const httpfsm_parser* p) {
  const httpfsm::RequestHead* h = complete_head(p);
  return h == nullptr ? HTTPFSM_FRAMING_NO_BODY : static_cast<httpfsm_framing>(h->framing);
}
uint64_t httpfsm_parser_content_length(const httpfsm_parser* p) {
  const httpfsm::RequestHead* h = complete_head(p);
  return h == nullptr || h->framing != httpfsm::Framing::content_length ? 0 : h->content_length;
}
bool httpfsm_parser_keep_alive(const httpfsm_parser* p) {
  const httpfsm::RequestHead* h = complete_head(p);
  return h != nullptr && h->keep_alive;
}
bool httpfsm_parser_expect_continue(const httpfsm_parser* p) {
  const httpfsm::RequestHead* h = complete_head(p);
  return h != nullptr && h->expect_continue;
}

// ---- response head parser ----

httpfsm_response_parser* httpfsm_response_parser_create(const httpfsm_limits* limits) {
  try {
    return new httpfsm_response_parser(to_limits(limits));
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}

void httpfsm_response_parser_destroy(httpfsm_response_parser* p) { delete p; }

void httpfsm_response_parser_reset(httpfsm_response_parser* p, httpfsm_method request_method) {
  p->parser.reset(to_method(request_method));
}

httpfsm_progress httpfsm_response_parser_parse(httpfsm_response_parser* p, const char* message,
                                               size_t size) {
  return to_c(p->parser.parse(std::span<const char>(message, size)));
}

httpfsm_progress httpfsm_response_parser_progress(const httpfsm_response_parser* p) {
  return to_c(p->parser.progress());
}
uint32_t httpfsm_response_parser_consumed(const httpfsm_response_parser* p) {
  return p->parser.consumed();
}
httpfsm_error httpfsm_response_parser_error(const httpfsm_response_parser* p) {
  return to_c(p->parser.error());
}
uint32_t httpfsm_response_parser_error_offset(const httpfsm_response_parser* p) {
  return p->parser.progress() == Progress::failed ? p->parser.error_offset() : 0;
}

int httpfsm_response_parser_status(const httpfsm_response_parser* p) {
  const httpfsm::ResponseHead* h = complete_head(p);
  return h == nullptr ? 0 : h->status;
}
httpfsm_str httpfsm_response_parser_reason(const httpfsm_response_parser* p, const char* base) {
  const httpfsm::ResponseHead* h = complete_head(p);
  return h == nullptr ? httpfsm_str{nullptr, 0} : to_str(base, h->reason);
}
int httpfsm_response_parser_version_minor(const httpfsm_response_parser* p) {
  const httpfsm::ResponseHead* h = complete_head(p);
  return h == nullptr ? 1 : h->version_minor;
}
size_t httpfsm_response_parser_field_count(const httpfsm_response_parser* p) {
  const httpfsm::ResponseHead* h = complete_head(p);
  return h == nullptr ? 0 : h->fields.size();
}
bool httpfsm_response_parser_field(const httpfsm_response_parser* p, const char* base, size_t index,
                                   httpfsm_field* out) {
  const httpfsm::ResponseHead* h = complete_head(p);
  const bool found = h != nullptr && index < h->fields.size();
  return set_field(base, found ? &h->fields[index] : nullptr, out);
}
bool httpfsm_response_parser_known_field(const httpfsm_response_parser* p, const char* base,
                                         httpfsm_known_field k, httpfsm_field* out) {
  const httpfsm::ResponseHead* h = complete_head(p);
  const auto i = static_cast<unsigned>(k);
  const bool valid = h != nullptr && i < httpfsm::kKnownFieldCount;
  return set_field(base, valid ? h->field(static_cast<httpfsm::KnownField>(i)) : nullptr, out);
}
bool httpfsm_response_parser_find_field(const httpfsm_response_parser* p, const char* base,
                                        const char* name, size_t name_size, httpfsm_field* out) {
  const httpfsm::ResponseHead* h = complete_head(p);
  if (h == nullptr) return set_field(base, nullptr, out);
  // As httpfsm_parser_find_field: every span lies inside the head's consumed() bytes.
  const std::span<const char> message(base, p->parser.consumed());
  return set_field(base, h->find(message, std::string_view(name, name_size)), out);
}
httpfsm_framing httpfsm_response_parser_framing(const httpfsm_response_parser* p) {
  const httpfsm::ResponseHead* h = complete_head(p);
  return h == nullptr ? HTTPFSM_FRAMING_NO_BODY : static_cast<httpfsm_framing>(h->framing);
}
uint64_t httpfsm_response_parser_content_length(const httpfsm_response_parser* p) {
  const httpfsm::ResponseHead* h = complete_head(p);
  return h == nullptr || h->framing != httpfsm::Framing::content_length ? 0 : h->content_length;
}
bool httpfsm_response_parser_keep_alive(const httpfsm_response_parser* p) {
  const httpfsm::ResponseHead* h = complete_head(p);
  return h != nullptr && h->keep_alive;
}
bool httpfsm_response_parser_interim(const httpfsm_response_parser* p) {
  const httpfsm::ResponseHead* h = complete_head(p);
  return h != nullptr && h->interim;
}
bool httpfsm_response_parser_leaves_http(const httpfsm_response_parser* p) {
  const httpfsm::ResponseHead* h = complete_head(p);
  return h != nullptr && h->leaves_http;
}

// ---- body decoder ----

httpfsm_body* httpfsm_body_create(const httpfsm_limits* limits) {
  try {
    return new httpfsm_body(to_limits(limits));
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}

void httpfsm_body_destroy(httpfsm_body* b) { delete b; }

bool httpfsm_body_start(httpfsm_body* b, const httpfsm_parser* p) {
  const httpfsm::RequestHead* h = complete_head(p);
  if (h == nullptr) return false;
  b->decoder.start(*h);
  return true;
}

bool httpfsm_body_start_response(httpfsm_body* b, const httpfsm_response_parser* p) {
  const httpfsm::ResponseHead* h = complete_head(p);
  if (h == nullptr) return false;
  b->decoder.start(*h);
  return true;
}

void httpfsm_body_start_framing(httpfsm_body* b, httpfsm_framing framing, uint64_t content_length) {
  const auto f = static_cast<unsigned>(framing);
  // An out-of-range framing from C is treated as no body rather than cast into the enum.
  b->decoder.start(f <= HTTPFSM_FRAMING_UNTIL_CLOSE ? static_cast<httpfsm::Framing>(f)
                                                    : httpfsm::Framing::no_body,
                   content_length);
}

httpfsm_body_step httpfsm_body_decode(httpfsm_body* b, const char* input, size_t size) {
  const httpfsm::BodyStep s = b->decoder.decode(std::span<const char>(input, size));
  return httpfsm_body_step{to_c(s.progress), s.consumed, s.data.data(), s.data.size()};
}

httpfsm_error httpfsm_body_finish(httpfsm_body* b) { return to_c(b->decoder.finish()); }

httpfsm_progress httpfsm_body_progress(const httpfsm_body* b) {
  return to_c(b->decoder.progress());
}
httpfsm_error httpfsm_body_error(const httpfsm_body* b) { return to_c(b->decoder.error()); }
uint64_t httpfsm_body_error_offset(const httpfsm_body* b) { return b->decoder.error_offset(); }
uint64_t httpfsm_body_content_bytes(const httpfsm_body* b) { return b->decoder.content_bytes(); }
uint64_t httpfsm_body_body_bytes(const httpfsm_body* b) { return b->decoder.body_bytes(); }

size_t httpfsm_body_trailer_count(const httpfsm_body* b) {
  return b->decoder.progress() == Progress::complete ? b->decoder.trailers().size() : 0;
}
bool httpfsm_body_trailer(const httpfsm_body* b, const char* base, size_t index,
                          httpfsm_field* out) {
  const std::span<const httpfsm::Field> t = b->decoder.trailers();
  const bool found = b->decoder.progress() == Progress::complete && index < t.size();
  return set_field(base, found ? &t[index] : nullptr, out);
}

// ---- message readers ----

bool httpfsm_reader_request_sent(httpfsm_reader* r, httpfsm_method method) {
  if (!r->response) return false;
  return r->response->request_sent(to_method(method));
}

httpfsm_reader* httpfsm_request_reader_create(const httpfsm_limits* limits) {
  try {
    auto* r = new httpfsm_reader;
    r->request.emplace(to_limits(limits));
    return r;
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}

httpfsm_reader* httpfsm_response_reader_create(const httpfsm_limits* limits) {
  try {
    auto* r = new httpfsm_reader;
    r->response.emplace(to_limits(limits));
    return r;
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}

void httpfsm_reader_destroy(httpfsm_reader* r) { delete r; }

void httpfsm_reader_reset(httpfsm_reader* r) {
  visit(r, [](auto& reader) { reader.reset(); });
}

httpfsm_read_step httpfsm_reader_next(httpfsm_reader* r, const char* input, size_t size) {
  return to_c(visit(r, [&](auto& reader) { return reader.next({input, size}); }));
}

httpfsm_read_step httpfsm_reader_finish(httpfsm_reader* r, const char* input, size_t size) {
  return to_c(visit(r, [&](auto& reader) { return reader.finish({input, size}); }));
}

httpfsm_error httpfsm_reader_error(const httpfsm_reader* r) {
  return to_c(visit(r, [](const auto& reader) { return reader.error(); }));
}
uint64_t httpfsm_reader_error_offset(const httpfsm_reader* r) {
  return visit(r, [](const auto& reader) { return reader.error_offset(); });
}
bool httpfsm_reader_expecting_continue(const httpfsm_reader* r) {
  return r->request && r->request->expecting_continue();
}

httpfsm_str httpfsm_reader_method(const httpfsm_reader* r, const char* base) {
  return r->request ? to_str(base, r->request->head().method) : httpfsm_str{nullptr, 0};
}
httpfsm_str httpfsm_reader_target(const httpfsm_reader* r, const char* base) {
  return r->request ? to_str(base, r->request->head().target) : httpfsm_str{nullptr, 0};
}
int httpfsm_reader_status(const httpfsm_reader* r) {
  return r->response ? r->response->head().status : 0;
}
bool httpfsm_reader_interim(const httpfsm_reader* r) {
  return r->response && r->response->head().interim;
}
int httpfsm_reader_version_minor(const httpfsm_reader* r) {
  return visit(r, [](const auto& reader) { return int{reader.head().version_minor}; });
}
size_t httpfsm_reader_field_count(const httpfsm_reader* r) {
  return visit(r, [](const auto& reader) { return reader.head().fields.size(); });
}
bool httpfsm_reader_field(const httpfsm_reader* r, const char* base, size_t index,
                          httpfsm_field* out) {
  const std::span<const httpfsm::Field> fs =
      visit(r, [](const auto& reader) { return reader.head().fields; });
  return set_field(base, index < fs.size() ? &fs[index] : nullptr, out);
}
httpfsm_framing httpfsm_reader_framing(const httpfsm_reader* r) {
  return static_cast<httpfsm_framing>(
      visit(r, [](const auto& reader) { return reader.head().framing; }));
}
uint64_t httpfsm_reader_content_length(const httpfsm_reader* r) {
  return visit(r, [](const auto& reader) { return reader.head().content_length; });
}
bool httpfsm_reader_keep_alive(const httpfsm_reader* r) {
  return visit(r, [](const auto& reader) { return reader.head().keep_alive; });
}
size_t httpfsm_reader_trailer_count(const httpfsm_reader* r) {
  return visit(r, [](const auto& reader) { return reader.trailers().size(); });
}
bool httpfsm_reader_trailer(const httpfsm_reader* r, const char* base, size_t index,
                            httpfsm_field* out) {
  const std::span<const httpfsm::Field> ts =
      visit(r, [](const auto& reader) { return reader.trailers(); });
  return set_field(base, index < ts.size() ? &ts[index] : nullptr, out);
}

}  // extern "C"
