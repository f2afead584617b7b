#include "request_stream.hpp"

#include <cstring>
#include <memory>

#include "fuzz_check.hpp"
#include "http_syntax.hpp"
#include "httpfsm/message_reader.hpp"

namespace httpfsm::fuzz {

namespace {

// A heap copy with no slack after the last byte (one byte allocated for an empty input, which
// the span does not cover).
class ExactBuffer {
 public:
  explicit ExactBuffer(std::string_view bytes)
      : data_(new char[bytes.empty() ? 1 : bytes.size()]), size_(bytes.size()) {
    if (!bytes.empty()) std::memcpy(data_.get(), bytes.data(), bytes.size());
  }
  std::span<const char> span() const { return {data_.get(), size_}; }

 private:
  std::unique_ptr<char[]> data_;
  std::size_t size_;
};

std::string_view progress_name(Progress p) {
  switch (p) {
    case Progress::need_more:
      return "need_more";
    case Progress::complete:
      return "complete";
    case Progress::failed:
      return "failed";
  }
  return "?";
}

std::string_view view(std::span<const char> m, Span s) { return {m.data() + s.offset, s.length}; }

bool span_inside(Span s, std::uint64_t end) { return std::uint64_t{s.offset} + s.length <= end; }

// A value of the X-list in error.hpp, with its name, status, reference and message.
bool is_listed(Error e) {
  if (static_cast<std::size_t>(e) >= kErrorCount || e == Error::none) return false;
  const int status = error_status(e);
  const bool known_status = status == 0 || status == 400 || status == 413 || status == 414 ||
                            status == 431 || status == 501 || status == 505;
  return known_status && !error_name(e).empty() && !error_message(e).empty() &&
         error_reference(e).substr(0, 4) == "RFC ";
}

// Errors whose offset is the first byte that no valid head can continue with: the prefix
// before it is still viable, and the prefix through it fails the same way. (bare_cr points
// at the CR, one byte earlier; the limits on whole heads and lines stop at their end; the
// framing errors are found once the head or a line is complete.)
bool is_positional(Error e) {
  switch (e) {
    case Error::bad_request_line:
    case Error::bad_method:
    case Error::bad_target:
    case Error::bad_version:
    case Error::unsupported_version:
    case Error::bare_lf:
    case Error::space_after_start_line:
    case Error::bad_field_name:
    case Error::space_before_colon:
    case Error::bad_field_value:
    case Error::obs_fold:
    case Error::too_many_fields:
    case Error::method_too_long:
    case Error::target_too_long:
      return true;
    default:
      return false;
  }
}

// The oracle compares tokens with the names of the lists (httpfsm/method_list.h,
// httpfsm/known_field_list.h), not through the parser's classifiers.
Method method_of(std::string_view m) {
  for (std::size_t i = 1; i < kMethodCount; ++i) {
    if (m == method_token(static_cast<Method>(i))) return static_cast<Method>(i);
  }
  return Method::other;
}

std::string_view known_name(std::size_t k) { return known_field_name(static_cast<KnownField>(k)); }

std::string where(std::span<const char> message) {
  return "message: \"" + escape({message.data(), message.size()}) + "\"";
}

// The head satisfies RFC 9112's grammar and framing rules, checked without the library's code.
void check_complete_head(std::span<const char> m, const HeadParser& parser) {
  const RequestHead& h = parser.head();
  const Limits& limits = parser.limits();
  const std::uint32_t size = parser.consumed();
  const auto ctx = [&] { return std::string(where(m)); };
  HTTPFSM_FUZZ_CHECK(size >= 4 && size <= m.size() && size <= limits.max_head, ctx());
  HTTPFSM_FUZZ_CHECK(std::string_view(m.data() + size - 2, 2) == "\r\n", ctx());

  // RFC 9112 §2.2: only empty lines may precede the request-line.
  HTTPFSM_FUZZ_CHECK(h.method.offset % 2 == 0, ctx());
  for (std::uint32_t i = 0; i < h.method.offset; i += 2) {
    HTTPFSM_FUZZ_CHECK(m[i] == '\r' && m[i + 1] == '\n', ctx());
  }
  // §3 request-line = method SP request-target SP HTTP-version CRLF
  const std::string_view method = view(m, h.method);
  HTTPFSM_FUZZ_CHECK(span_inside(h.method, size) && is_token(method), ctx());
  HTTPFSM_FUZZ_CHECK(method.size() <= limits.max_method, ctx());
  HTTPFSM_FUZZ_CHECK(h.method_id == method_of(method), ctx());
  // The library's names: a recognised method's token is the method as sent; every target
  // form and framing the parser produces has a name.
  HTTPFSM_FUZZ_CHECK(h.method_id == Method::other ? method_token(h.method_id).empty()
                                                  : method_token(h.method_id) == method,
                     ctx());
  HTTPFSM_FUZZ_CHECK(!target_form_name(h.target_form).empty(), ctx());
  HTTPFSM_FUZZ_CHECK(!framing_name(h.framing).empty(), ctx());
  HTTPFSM_FUZZ_CHECK(h.target.offset == h.method.offset + h.method.length + 1, ctx());
  HTTPFSM_FUZZ_CHECK(m[h.method.offset + h.method.length] == ' ', ctx());
  const std::string_view target = view(m, h.target);
  HTTPFSM_FUZZ_CHECK(span_inside(h.target, size) && !target.empty(), ctx());
  HTTPFSM_FUZZ_CHECK(target.size() <= limits.max_target, ctx());
  for (char c : target) {
    HTTPFSM_FUZZ_CHECK(c > 0x20 && c < 0x7f, ctx());
  }
  const std::uint32_t version_at = h.target.offset + h.target.length;
  HTTPFSM_FUZZ_CHECK(version_at + 11 <= size, ctx());
  const std::string_view version(m.data() + version_at, 11);
  HTTPFSM_FUZZ_CHECK(version.substr(0, 8) == " HTTP/1." && version.substr(9) == "\r\n", ctx());
  HTTPFSM_FUZZ_CHECK(version[8] == static_cast<char>('0' + h.version_minor), ctx());

  // §3.2: the target's form, and which methods may use which form.
  const bool connect = h.method_id == Method::connect;
  switch (h.target_form) {
    case TargetForm::origin:
      HTTPFSM_FUZZ_CHECK(target[0] == '/' && !connect, ctx());
      break;
    case TargetForm::asterisk:
      HTTPFSM_FUZZ_CHECK(target == "*" && h.method_id == Method::options, ctx());
      break;
    case TargetForm::authority:
      HTTPFSM_FUZZ_CHECK(connect && target.find('/') == std::string_view::npos, ctx());
      break;
    case TargetForm::absolute:
      HTTPFSM_FUZZ_CHECK(!connect && target.find(':') != std::string_view::npos, ctx());
      break;
  }

  // §5 field-line = field-name ":" OWS field-value OWS, one per line, in order.
  HTTPFSM_FUZZ_CHECK(h.fields.size() <= limits.max_fields, ctx());
  std::uint32_t line_start = version_at + 11;
  std::array<int, kKnownFieldCount> counts{};
  for (std::size_t i = 0; i < h.fields.size(); ++i) {
    const Field& f = h.fields[i];
    HTTPFSM_FUZZ_CHECK(f.name.offset == line_start, ctx());
    HTTPFSM_FUZZ_CHECK(span_inside(f.name, size) && span_inside(f.value, size), ctx());
    const std::string_view name = view(m, f.name);
    const std::string_view value = view(m, f.value);
    HTTPFSM_FUZZ_CHECK(is_token(name) && m[f.name.offset + f.name.length] == ':', ctx());
    HTTPFSM_FUZZ_CHECK(is_field_value(value), ctx());
    const std::uint32_t colon = f.name.offset + f.name.length;
    HTTPFSM_FUZZ_CHECK(f.value.offset >= colon + 1, ctx());
    HTTPFSM_FUZZ_CHECK(trim_ows({m.data() + colon + 1, f.value.offset - colon - 1}).empty(), ctx());
    // The line ends after trailing OWS with CRLF.
    std::uint32_t end = f.value.offset + f.value.length;
    while (end < size && is_ows(m[end])) ++end;
    HTTPFSM_FUZZ_CHECK(end + 2 <= size && m[end] == '\r' && m[end + 1] == '\n', ctx());
    HTTPFSM_FUZZ_CHECK(end + 2 - line_start <= limits.max_field_line, ctx());
    line_start = end + 2;
    for (std::size_t k = 0; k < kKnownFieldCount; ++k) {
      if (!iequals(name, known_name(k))) continue;
      if (counts[k]++ == 0) HTTPFSM_FUZZ_CHECK(h.first[k] == i, ctx());
    }
  }
  HTTPFSM_FUZZ_CHECK(line_start + 2 == size, ctx());
  for (std::size_t k = 0; k < kKnownFieldCount; ++k) {
    if (counts[k] == 0) HTTPFSM_FUZZ_CHECK(h.first[k] == RequestHead::kAbsent, ctx());
    // The lookups agree with the index.
    const auto known = static_cast<KnownField>(k);
    const Field* f = h.field(known);
    HTTPFSM_FUZZ_CHECK((f == nullptr) == (counts[k] == 0), ctx());
    HTTPFSM_FUZZ_CHECK(f == nullptr || f == &h.fields[h.first[k]], ctx());
    HTTPFSM_FUZZ_CHECK(h.value(m, known) == (f == nullptr ? std::string_view{} : view(m, f->value)),
                       ctx());
    HTTPFSM_FUZZ_CHECK(h.find(m, known_name(k)) == f, ctx());
  }
  // find() is case-insensitive and returns the first match.
  for (std::size_t i = 0; i < h.fields.size(); ++i) {
    std::string upper(view(m, h.fields[i].name));
    for (char& ch : upper) ch = (ch >= 'a' && ch <= 'z') ? static_cast<char>(ch - 'a' + 'A') : ch;
    const Field* found = h.find(m, upper);
    HTTPFSM_FUZZ_CHECK(found != nullptr && found <= &h.fields[i], ctx());
    HTTPFSM_FUZZ_CHECK(
        iequals(view(m, found->name), upper) && httpfsm::iequals(view(m, found->name), upper),
        ctx());
    for (const Field* g = h.fields.data(); g < found; ++g) {
      HTTPFSM_FUZZ_CHECK(!iequals(view(m, g->name), upper), ctx());
    }
  }
  HTTPFSM_FUZZ_CHECK(h.find(m, "") == nullptr, ctx());

  // The framing decisions (RFC 9112 §3.2, §6.1, §6.3).
  const auto count = [&counts](KnownField k) { return counts[static_cast<std::size_t>(k)]; };
  const bool http11 = h.version_minor >= 1;
  HTTPFSM_FUZZ_CHECK(count(KnownField::host) == (http11 ? 1 : count(KnownField::host)), ctx());
  HTTPFSM_FUZZ_CHECK(count(KnownField::host) <= 1, ctx());
  const bool has_cl = count(KnownField::content_length) > 0;
  const bool has_te = count(KnownField::transfer_encoding) > 0;
  HTTPFSM_FUZZ_CHECK(!(has_cl && has_te), ctx());
  std::vector<std::string_view> te_codings;
  bool quoted = false;
  for (const Field& f : h.fields) {
    const std::string_view name = view(m, f.name);
    const std::string_view value = view(m, f.value);
    if (value.find('"') != std::string_view::npos) quoted = true;
    if (iequals(name, "content-length")) {
      for (std::string_view e : split_list(value)) {
        std::uint64_t n = 0;
        HTTPFSM_FUZZ_CHECK(!e.empty(), ctx());
        for (char c : e) {
          HTTPFSM_FUZZ_CHECK(is_digit(static_cast<unsigned char>(c)), ctx());
          n = n * 10 + static_cast<unsigned>(c - '0');
        }
        HTTPFSM_FUZZ_CHECK(e.size() > 20 || n == h.content_length, ctx());
      }
    } else if (iequals(name, "transfer-encoding")) {
      for (std::string_view e : split_list(value)) {
        if (!e.empty()) te_codings.push_back(e);
      }
    }
  }
  switch (h.framing) {
    case Framing::no_body:
      HTTPFSM_FUZZ_CHECK(!has_cl && !has_te, ctx());
      break;
    case Framing::content_length:
      HTTPFSM_FUZZ_CHECK(has_cl && h.content_length <= limits.max_body, ctx());
      break;
    case Framing::chunked:
      // §6.1: chunked is the final coding, applied once; the decoder undoes nothing else.
      HTTPFSM_FUZZ_CHECK(has_te && http11 && h.content_length == 0, ctx());
      HTTPFSM_FUZZ_CHECK(quoted || (te_codings.size() == 1 && iequals(te_codings[0], "chunked")),
                         ctx());
      break;
    case Framing::until_close:
      HTTPFSM_FUZZ_CHECK(false, "a request body is never close-delimited\n" + ctx());
      break;
  }

  // §9.3 persistence and RFC 9110 §10.1.1 Expect (quoted list elements are left to the unit
  // tests: commas inside them need a full list parser).
  if (!quoted) {
    bool close = false, keep_alive = false, continue_100 = false;
    for (const Field& f : h.fields) {
      const std::string_view name = view(m, f.name);
      for (std::string_view e : split_list(view(m, f.value))) {
        if (iequals(name, "connection") && iequals(e, "close")) close = true;
        if (iequals(name, "connection") && iequals(e, "keep-alive")) keep_alive = true;
        if (iequals(name, "expect") && iequals(e, "100-continue")) continue_100 = true;
      }
    }
    HTTPFSM_FUZZ_CHECK(h.keep_alive == (!close && (http11 || keep_alive)), ctx());
    HTTPFSM_FUZZ_CHECK(h.expect_continue == (http11 && continue_100), ctx());
  }
}

// One parse() call's result against the contract in head_parser.hpp.
void check_head_call(std::span<const char> m, HeadParser& parser, Progress progress) {
  const auto ctx = [&] { return std::string(where(m)); };
  HTTPFSM_FUZZ_CHECK(progress == parser.progress(), ctx());
  HTTPFSM_FUZZ_CHECK(parser.consumed() <= m.size(), ctx());
  switch (progress) {
    case Progress::need_more:
      HTTPFSM_FUZZ_CHECK(parser.error() == Error::none, ctx());
      HTTPFSM_FUZZ_CHECK(parser.consumed() <= parser.limits().max_head, ctx());
      return;
    case Progress::complete:
      check_complete_head(m, parser);
      break;
    case Progress::failed: {
      const Error e = parser.error();
      const std::uint32_t at = parser.error_offset();
      HTTPFSM_FUZZ_CHECK(is_listed(e) && e != Error::truncated, ctx());
      // The offending byte is in the input; a limit reached exactly at the end of the input
      // names the first byte past it, since no continuation could fit.
      HTTPFSM_FUZZ_CHECK(at < m.size() || (is_limit_error(e) && at == m.size()), ctx());
      HTTPFSM_FUZZ_CHECK(parser.consumed() == at, ctx());
      break;
    }
  }
  // Sticky: the same answer again, with or without more bytes.
  const std::uint32_t consumed = parser.consumed();
  const Error e = parser.error();
  const std::uint32_t at = parser.error_offset();
  HTTPFSM_FUZZ_CHECK(parser.parse(m) == progress && parser.consumed() == consumed, ctx());
  HTTPFSM_FUZZ_CHECK(parser.error() == e && parser.error_offset() == at, ctx());
}

// A positional error names the first byte no valid head continues with: check it by parsing
// the prefixes around it with fresh parsers.
void check_error_position(std::span<const char> m, const Limits& limits, Error e,
                          std::uint32_t at) {
  const bool bare_cr = e == Error::bare_cr;
  if (!bare_cr && !is_positional(e)) return;
  const auto ctx = [&] {
    return where(m) + " error " + std::string(error_name(e)) + " @" + std::to_string(at);
  };
  {
    HeadParser before(limits);
    const ExactBuffer b(std::string_view(m.data(), at + (bare_cr ? 1 : 0)));
    HTTPFSM_FUZZ_CHECK(before.parse(b.span()) == Progress::need_more, ctx());
  }
  HeadParser through(limits);
  const ExactBuffer b(std::string_view(m.data(), at + (bare_cr ? 2 : 1)));
  HTTPFSM_FUZZ_CHECK(through.parse(b.span()) == Progress::failed, ctx());
  HTTPFSM_FUZZ_CHECK(through.error() == e && through.error_offset() == at, ctx());
}

// One decode() call's result against the contract in body_decoder.hpp.
void check_body_step(std::span<const char> input, const BodyDecoder& decoder, const BodyStep& step,
                     std::uint64_t body_seen) {
  const auto ctx = [&] {
    return std::string("body input: \"" + escape({input.data(), input.size()}) + "\"");
  };
  HTTPFSM_FUZZ_CHECK(step.progress == decoder.progress(), ctx());
  HTTPFSM_FUZZ_CHECK(step.consumed <= input.size(), ctx());
  if (!step.data.empty()) {
    HTTPFSM_FUZZ_CHECK(step.data.data() >= input.data(), ctx());
    HTTPFSM_FUZZ_CHECK(step.data.data() + step.data.size() <= input.data() + step.consumed, ctx());
  }
  if (step.progress == Progress::failed) {
    const Error e = decoder.error();
    HTTPFSM_FUZZ_CHECK(is_listed(e) && e != Error::truncated && step.consumed == 0, ctx());
    HTTPFSM_FUZZ_CHECK(decoder.error_offset() < body_seen ||
                           (is_limit_error(e) && decoder.error_offset() == body_seen),
                       ctx());
  } else {
    HTTPFSM_FUZZ_CHECK(decoder.error() == Error::none, ctx());
  }
  if (step.progress == Progress::complete) {
    for (const Field& f : decoder.trailers()) {
      HTTPFSM_FUZZ_CHECK(span_inside(f.name, step.consumed) && span_inside(f.value, step.consumed),
                         ctx());
      HTTPFSM_FUZZ_CHECK(is_token(view(input, f.name)), ctx());
      HTTPFSM_FUZZ_CHECK(is_field_value(view(input, f.value)), ctx());
    }
  }
}

// Bytes consumed before a body error are all before the offending byte, except that a CR
// consumed while it could still start a CRLF turns out bare one byte later.
bool consumed_before_error_ok(std::uint64_t consumed, Error e, std::uint64_t at) {
  return consumed <= at || (e == Error::bare_cr && consumed == at + 1);
}

}  // namespace

HeadRecord record_head(std::span<const char> m, const RequestHead& h) {
  HeadRecord r;
  r.method_span = h.method;
  r.target_span = h.target;
  r.method = view(m, h.method);
  r.target = view(m, h.target);
  r.method_id = h.method_id;
  r.target_form = h.target_form;
  r.version_minor = h.version_minor;
  for (const Field& f : h.fields) {
    r.fields.push_back(
        {f.name, f.value, std::string(view(m, f.name)), std::string(view(m, f.value))});
  }
  r.first = h.first;
  r.framing = h.framing;
  r.content_length = h.content_length;
  r.keep_alive = h.keep_alive;
  r.expect_continue = h.expect_continue;
  return r;
}

namespace {

// A head the reader completed or rejected, parsed again by a fresh HeadParser from the same
// bytes: every parse() result is checked against head_parser.hpp's contract, and the reader
// must report what the parser does.
void check_head_against_parser(std::span<const char> m, const Limits& limits,
                               const MessageRecord& record) {
  HeadParser parser(limits);
  const Progress progress = parser.parse(m);
  check_head_call(m, parser, progress);
  const auto ctx = [&] { return std::string(where(m)); };
  HTTPFSM_FUZZ_CHECK(progress == record.head_progress, ctx());
  if (progress == Progress::failed) {
    HTTPFSM_FUZZ_CHECK(parser.error() == record.head_error, ctx());
    HTTPFSM_FUZZ_CHECK(parser.error_offset() == record.head_error_offset, ctx());
    check_error_position(m, limits, record.head_error, record.head_error_offset);
  } else {
    HTTPFSM_FUZZ_CHECK(parser.consumed() == record.head_consumed, ctx());
    HTTPFSM_FUZZ_CHECK(record_head(m, parser.head()) == record.head, ctx());
  }
}

}  // namespace

StreamRecord run_stream(std::string_view stream, const Limits& limits,
                        std::span<const std::size_t> cuts) {
  StreamRecord out;
  RequestReader reader(limits);
  std::string pending;  // received and not consumed: from the message start while in the head
  std::size_t arrived = 0;
  bool in_body = false;
  bool done = false;
  MessageRecord current;
  std::uint64_t body_start = 0;  // the body's first byte, counted as the reader counts

  std::vector<std::size_t> ends(cuts.begin(), cuts.end());
  ends.push_back(stream.size());
  for (std::size_t end : ends) {
    HTTPFSM_FUZZ_CHECK(end >= arrived && end <= stream.size());
    pending.append(stream.substr(arrived, end - arrived));
    arrived = end;
    while (!done) {
      const ExactBuffer buffer(pending);
      const std::span<const char> input = buffer.span();
      // Body bytes handed to the reader, consumed or not.
      const std::uint64_t body_seen = current.body_consumed + input.size();
      const ReadStep s = reader.next(input);
      const auto ctx = [&] { return std::string(where(input)); };
      HTTPFSM_FUZZ_CHECK(s.consumed <= input.size(), ctx());
      HTTPFSM_FUZZ_CHECK(s.event == ReadEvent::data || s.data.empty(), ctx());
      if (in_body) current.body_consumed += s.consumed;
      switch (s.event) {
        case ReadEvent::head:
          current.head_progress = Progress::complete;
          current.head_consumed = static_cast<std::uint32_t>(s.consumed);
          current.head = record_head(input, reader.head());
          check_head_against_parser(input, limits, current);
          body_start = reader.offset();
          in_body = true;
          break;
        case ReadEvent::data:
          HTTPFSM_FUZZ_CHECK(in_body && s.data.data() >= input.data() &&
                                 s.data.data() + s.data.size() <= input.data() + s.consumed,
                             ctx());
          current.content.append(s.data.data(), s.data.size());
          break;
        case ReadEvent::end:
          HTTPFSM_FUZZ_CHECK(in_body, ctx());
          current.body_progress = Progress::complete;
          for (const Field& f : reader.trailers()) {
            HTTPFSM_FUZZ_CHECK(span_inside(f.name, s.consumed) && span_inside(f.value, s.consumed),
                               ctx());
            HTTPFSM_FUZZ_CHECK(is_token(view(input, f.name)), ctx());
            HTTPFSM_FUZZ_CHECK(is_field_value(view(input, f.value)), ctx());
            current.trailers.emplace_back(view(input, f.name), view(input, f.value));
          }
          HTTPFSM_FUZZ_CHECK(reader.offset() - body_start == current.body_consumed, ctx());
          if (current.head.framing == Framing::content_length) {
            HTTPFSM_FUZZ_CHECK(current.content.size() == current.head.content_length, ctx());
          }
          out.messages.push_back(current);
          current = MessageRecord{};
          in_body = false;
          break;
        case ReadEvent::error: {
          const Error e = reader.error();
          HTTPFSM_FUZZ_CHECK(is_listed(e) && e != Error::truncated && s.consumed == 0, ctx());
          // Sticky: the same answer again, nothing consumed.
          const ReadStep again = reader.next(input);
          HTTPFSM_FUZZ_CHECK(again.event == ReadEvent::error && again.consumed == 0, ctx());
          HTTPFSM_FUZZ_CHECK(reader.error() == e, ctx());
          if (in_body) {
            current.body_progress = Progress::failed;
            current.body_error = e;
            current.body_error_offset = reader.error_offset() - body_start;
            HTTPFSM_FUZZ_CHECK(current.body_error_offset < body_seen ||
                                   (is_limit_error(e) && current.body_error_offset == body_seen),
                               ctx());
            HTTPFSM_FUZZ_CHECK(consumed_before_error_ok(current.body_consumed, current.body_error,
                                                        current.body_error_offset),
                               ctx());
            current.body_consumed = 0;
          } else {
            // Nothing of a head is consumed before it completes: offsets from its first byte.
            current.head_progress = Progress::failed;
            current.head_error = e;
            current.head_error_offset =
                static_cast<std::uint32_t>(reader.error_offset() - reader.offset());
            check_head_against_parser(input, limits, current);
          }
          out.messages.push_back(current);
          done = true;
          break;
        }
        case ReadEvent::closed:
          // A request that closes the connection ends the reader's stream (RFC 9112 §9.6).
          // The requests after it are read as if on a fresh connection, so that every byte of
          // the input still reaches the parsers.
          HTTPFSM_FUZZ_CHECK(!in_body && s.consumed == 0, ctx());
          if (pending.empty()) break;
          reader.reset();
          continue;
        case ReadEvent::need_more:
          break;
        case ReadEvent::switched:
          HTTPFSM_FUZZ_CHECK(false, "a request reader never leaves HTTP\n" + ctx());
          break;
      }
      pending.erase(0, s.consumed);
      if (s.event == ReadEvent::closed ||
          (s.event == ReadEvent::need_more && (s.consumed == 0 || pending.empty()))) {
        break;
      }
    }
    if (done) break;
  }
  if (done) return out;
  // The stream ended inside a message.
  if (in_body) {
    const ExactBuffer buffer(pending);
    const ReadStep s = reader.finish(buffer.span());
    HTTPFSM_FUZZ_CHECK(s.event == ReadEvent::error && reader.error() == Error::truncated);
    current.body_progress = Progress::failed;
    current.body_error = Error::truncated;
    current.body_error_offset = reader.error_offset() - body_start;
    HTTPFSM_FUZZ_CHECK(current.body_error_offset == current.body_consumed);
    out.messages.push_back(current);
  } else if (!pending.empty()) {
    // An incomplete head: a fresh parser tells how much of it was scanned.
    const ExactBuffer buffer(pending);
    HeadParser parser(limits);
    const Progress progress = parser.parse(buffer.span());
    check_head_call(buffer.span(), parser, progress);
    HTTPFSM_FUZZ_CHECK(progress == Progress::need_more, where(buffer.span()));
    current.head_consumed = parser.consumed();
    out.messages.push_back(current);
  }
  return out;
}

BodyRecord decode_body(Framing framing, std::uint64_t content_length, std::string_view body,
                       const Limits& limits, std::span<const std::size_t> cuts) {
  BodyRecord out;
  BodyDecoder decoder(limits);
  decoder.start(framing, content_length);
  std::string pending;
  std::size_t arrived = 0;
  std::vector<std::size_t> ends(cuts.begin(), cuts.end());
  ends.push_back(body.size());
  for (std::size_t end : ends) {
    HTTPFSM_FUZZ_CHECK(end >= arrived && end <= body.size());
    pending.append(body.substr(arrived, end - arrived));
    arrived = end;
    while (decoder.progress() == Progress::need_more && !pending.empty()) {
      const ExactBuffer buffer(pending);
      const BodyStep step = decoder.decode(buffer.span());
      check_body_step(buffer.span(), decoder, step, arrived);
      out.content.append(step.data.data(), step.data.size());
      out.consumed += step.consumed;
      if (step.progress == Progress::complete) {
        for (const Field& f : decoder.trailers()) {
          out.trailers.emplace_back(view(buffer.span(), f.name), view(buffer.span(), f.value));
        }
      }
      pending.erase(0, step.consumed);
      if (step.consumed == 0) break;
    }
    if (decoder.progress() != Progress::need_more) break;
  }
  HTTPFSM_FUZZ_CHECK(decoder.content_bytes() == out.content.size());
  if (decoder.progress() == Progress::need_more) {
    HTTPFSM_FUZZ_CHECK(decoder.finish() == Error::truncated);
    HTTPFSM_FUZZ_CHECK(decoder.error_offset() == out.consumed);
  }
  out.progress = decoder.progress();
  if (out.progress == Progress::failed) {
    out.error = decoder.error();
    out.error_offset = decoder.error_offset();
    HTTPFSM_FUZZ_CHECK(consumed_before_error_ok(out.consumed, out.error, out.error_offset));
    if (out.error != Error::truncated) out.consumed = 0;
  } else {
    HTTPFSM_FUZZ_CHECK(decoder.body_bytes() == out.consumed);
  }
  // Sticky: nothing more is consumed or decoded.
  const BodyStep again = decoder.decode(std::span<const char>(body.data(), body.size()));
  HTTPFSM_FUZZ_CHECK(again.progress == out.progress && again.consumed == 0 && again.data.empty());
  return out;
}

std::string describe(const BodyRecord& b) {
  std::string s = std::string(progress_name(b.progress));
  if (b.error != Error::none) {
    s += " error " + std::string(error_name(b.error)) + " @" + std::to_string(b.error_offset);
  }
  s += " consumed=" + std::to_string(b.consumed) + " content=\"" + escape(b.content) + "\"";
  for (const auto& [name, value] : b.trailers)
    s += " trailer " + escape(name) + "=" + escape(value);
  return s;
}

Limits tight_limits() {
  Limits l;
  l.max_method = 8;
  l.max_target = 48;
  l.max_field_line = 64;
  l.max_fields = 6;
  l.max_head = 384;
  l.max_body = 200;
  l.max_chunk_ext = 16;
  l.max_trailer = 96;
  return l;
}

Limits limits_from_byte(std::uint8_t selector) {
  if ((selector & 0x80) == 0) return (selector & 0x40) ? tight_limits() : Limits{};
  // Each limit from two bits: the minimum, small, tight or default.
  const Limits d{};
  const Limits t = tight_limits();
  const auto pick = [](unsigned bits, std::uint64_t minimum, std::uint64_t small,
                       std::uint64_t tight, std::uint64_t normal) {
    switch (bits & 3) {
      case 0:
        return minimum;
      case 1:
        return small;
      case 2:
        return tight;
      default:
        return normal;
    }
  };
  const auto u32 = [](std::uint64_t v) { return static_cast<std::uint32_t>(v); };
  Limits l;
  l.max_method = u32(pick(selector, 1, 3, t.max_method, d.max_method));
  l.max_target = u32(pick(selector >> 2, 1, 9, t.max_target, d.max_target));
  l.max_field_line = u32(pick(selector >> 4, 4, 20, t.max_field_line, d.max_field_line));
  l.max_fields = u32(pick(selector >> 5, 1, 2, t.max_fields, d.max_fields));
  l.max_head = u32(pick(selector >> 1, 17, 64, t.max_head, d.max_head));
  l.max_body = pick(selector >> 3, 0, 5, t.max_body, d.max_body);
  l.max_chunk_ext = u32(pick(selector >> 4, 0, 3, t.max_chunk_ext, d.max_chunk_ext));
  l.max_trailer = u32(pick(selector, 2, 24, t.max_trailer, d.max_trailer));
  return l;
}

bool is_limit_error(Error e) {
  switch (e) {
    case Error::method_too_long:
    case Error::target_too_long:
    case Error::field_too_long:
    case Error::too_many_fields:
    case Error::head_too_large:
    case Error::body_too_large:
    case Error::chunk_ext_too_long:
    case Error::trailer_too_large:
      return true;
    default:
      return false;
  }
}

std::string escape(std::string_view bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string s;
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\r') {
      s += "\\r";
    } else if (c == '\n') {
      s += "\\n";
    } else if (c == '\t') {
      s += "\\t";
    } else if (c == '\\' || c == '"') {
      s += '\\';
      s += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      s += "\\x";
      s += kHex[c >> 4];
      s += kHex[c & 15];
    } else {
      s += static_cast<char>(c);
    }
  }
  return s;
}

namespace {
std::string span_text(Span s) {
  return "@" + std::to_string(s.offset) + "+" + std::to_string(s.length);
}
}  // namespace

std::string describe(const HeadRecord& h) {
  std::string s = escape(h.method) + span_text(h.method_span) + " " + escape(h.target) +
                  span_text(h.target_span) + " 1." + std::to_string(h.version_minor) +
                  " method_id=" + std::to_string(static_cast<int>(h.method_id)) +
                  " form=" + std::to_string(static_cast<int>(h.target_form));
  for (const FieldRecord& f : h.fields) {
    s += "; " + escape(f.name) + span_text(f.name_span) + "=" + escape(f.value) +
         span_text(f.value_span);
  }
  s += "; first=";
  for (std::uint16_t i : h.first) s += std::to_string(i) + ",";
  s += " framing=" + std::to_string(static_cast<int>(h.framing)) +
       " cl=" + std::to_string(h.content_length) + (h.keep_alive ? " keep-alive" : " close") +
       (h.expect_continue ? " 100-continue" : "");
  return s;
}

std::string describe(const StreamRecord& r) {
  std::string s;
  for (std::size_t i = 0; i < r.messages.size(); ++i) {
    const MessageRecord& m = r.messages[i];
    s += "#" + std::to_string(i) + " head " + std::string(progress_name(m.head_progress)) +
         " consumed=" + std::to_string(m.head_consumed);
    if (m.head_progress == Progress::failed) {
      s += " error " + std::string(error_name(m.head_error)) + " @" +
           std::to_string(m.head_error_offset);
    }
    if (m.head_progress == Progress::complete) {
      s += " [" + describe(m.head) + "] body " + std::string(progress_name(m.body_progress)) +
           " consumed=" + std::to_string(m.body_consumed) + " content=\"" + escape(m.content) +
           "\"";
      if (m.body_error != Error::none) {
        s += " error " + std::string(error_name(m.body_error)) + " @" +
             std::to_string(m.body_error_offset);
      }
      for (const auto& [name, value] : m.trailers)
        s += " trailer " + escape(name) + "=" + escape(value);
    }
    s += "\n";
  }
  return s;
}

}  // namespace httpfsm::fuzz
