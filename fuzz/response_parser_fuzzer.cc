// response_parser_fuzzer: one response head (and its body) for a request whose method the
// first byte picks. The head is parsed whole and in pieces (split points from the input), each
// piece a fresh exact-size copy, and the two must agree on everything; every result is checked
// against the contract: consumed bytes inside the input, a complete head ending in CRLF CRLF,
// a status of 100-599, spans inside the head, framing as RFC 9112 §6.3 decides it from the
// method and status, sticky errors. A complete head's body is then decoded whole and in pieces,
// which must agree too.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "fuzz_input.hpp"
#include "httpfsm/body_decoder.hpp"
#include "httpfsm/response_head_parser.hpp"
#include "request_stream.hpp"  // escape()

namespace httpfsm::fuzz {
namespace {

struct Outcome {
  Progress progress = Progress::need_more;
  Error error = Error::none;
  std::uint32_t error_offset = 0;
  std::uint32_t consumed = 0;
  std::string head;  // a description of the complete head
  bool operator==(const Outcome&) const = default;
  std::string str() const {
    return std::string(progress == Progress::complete ? "complete"
                       : progress == Progress::failed ? "failed"
                                                      : "need_more") +
           " " + std::string(error_name(error)) + "@" + std::to_string(error_offset) +
           " consumed " + std::to_string(consumed) + " " + head;
  }
};

std::string describe(std::span<const char> m, const ResponseHead& h) {
  std::string s = std::to_string(h.status) + " [" + std::string(text(m, h.reason)) + "] 1." +
                  std::to_string(h.version_minor);
  for (const Field& f : h.fields) {
    s += "; " + std::string(text(m, f.name)) + "=" + std::string(text(m, f.value));
  }
  s += "; " + std::string(framing_name(h.framing)) + " " + std::to_string(h.content_length) +
       (h.keep_alive ? " keep-alive" : " close") + (h.interim ? " interim" : "") +
       (h.leaves_http ? " leaves-http" : "");
  return s;
}

void check_contract(std::string_view bytes, Method method, const ResponseHeadParser& p) {
  const auto ctx = [&] {
    return "method " + std::string(method_token(method)) + "\n" + escape(bytes);
  };
  HTTPFSM_FUZZ_CHECK(p.consumed() <= bytes.size(), ctx());
  if (p.progress() == Progress::failed) {
    HTTPFSM_FUZZ_CHECK(p.error() != Error::none && !error_name(p.error()).empty(), ctx());
    HTTPFSM_FUZZ_CHECK(p.error_offset() <= bytes.size(), ctx());
    return;
  }
  HTTPFSM_FUZZ_CHECK(p.error() == Error::none, ctx());
  if (p.progress() != Progress::complete) return;
  const ResponseHead& h = p.head();
  const std::uint32_t n = p.consumed();
  // The shortest head: "HTTP/1.1 200 " CRLF CRLF (RFC 9112 §4: the SP stays, the reason may not).
  HTTPFSM_FUZZ_CHECK(n >= 17 && bytes.substr(n - 4, 4) == "\r\n\r\n", ctx());
  HTTPFSM_FUZZ_CHECK(bytes.substr(0, 7) == "HTTP/1.", ctx());
  HTTPFSM_FUZZ_CHECK(h.status >= 100 && h.status <= 599, ctx());
  HTTPFSM_FUZZ_CHECK(std::to_string(h.status) == bytes.substr(9, 3), ctx());
  HTTPFSM_FUZZ_CHECK(h.reason.length == 0 || h.reason.offset == 13, ctx());
  for (const Field& f : h.fields) {
    HTTPFSM_FUZZ_CHECK(f.name.length > 0 && f.name.offset + f.name.length < n, ctx());
    HTTPFSM_FUZZ_CHECK(f.value.offset + f.value.length < n, ctx());
  }
  // RFC 9112 §6.3 items 1 and 2.
  const bool connect_2xx = method == Method::connect && h.status >= 200 && h.status < 300;
  HTTPFSM_FUZZ_CHECK(h.leaves_http == (h.status == 101 || connect_2xx), ctx());
  HTTPFSM_FUZZ_CHECK(h.interim == (h.status < 200 && h.status != 101), ctx());
  if (method == Method::head || h.status < 200 || h.status == 204 || h.status == 304 ||
      connect_2xx) {
    HTTPFSM_FUZZ_CHECK(h.framing == Framing::no_body, ctx());
  } else {
    HTTPFSM_FUZZ_CHECK(h.framing != Framing::no_body, ctx());
  }
  if (h.framing == Framing::until_close) HTTPFSM_FUZZ_CHECK(!h.keep_alive, ctx());
  if (h.framing == Framing::content_length) {
    HTTPFSM_FUZZ_CHECK(h.content_length <= p.limits().max_body, ctx());
  } else {
    HTTPFSM_FUZZ_CHECK(h.content_length == 0, ctx());
  }
}

Outcome parse(std::string_view bytes, const std::vector<std::size_t>& cuts, Method method,
              const Limits& limits) {
  ResponseHeadParser p(limits);
  p.reset(method);
  std::vector<std::size_t> ends = cuts;
  ends.push_back(bytes.size());
  std::unique_ptr<char[]> copy;
  std::span<const char> view;
  for (const std::size_t end : ends) {
    copy = std::make_unique<char[]>(end + 1);
    std::copy(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(end), copy.get());
    view = {copy.get(), end};
    if (p.parse(view) != Progress::need_more) break;
  }
  check_contract(bytes.substr(0, view.size()), method, p);
  // Sticky: parsing again changes nothing.
  Outcome o{p.progress(), p.error(), p.error_offset(), p.consumed(), {}};
  HTTPFSM_FUZZ_CHECK(p.parse(view) == o.progress && p.error() == o.error, escape(bytes));
  if (o.progress == Progress::complete) o.head = describe(view, p.head());
  return o;
}

// The body after a complete head: content, consumed bytes and the outcome, fed in pieces
// (the buffer keeps unconsumed bytes, as a connection's does), then finish().
std::string decode(std::string_view body, const ResponseHead& head,
                   const std::vector<std::size_t>& cuts, const Limits& limits) {
  BodyDecoder d(limits);
  d.start(head);
  std::string content, pending;
  std::size_t fed = 0;
  std::vector<std::size_t> ends = cuts;
  ends.push_back(body.size());
  for (const std::size_t end : ends) {
    pending.append(body.substr(fed, end - fed));
    fed = end;
    for (;;) {
      const BodyStep s = d.decode(pending);
      HTTPFSM_FUZZ_CHECK(s.consumed <= pending.size(), escape(body));
      content.append(s.data.data(), s.data.size());
      pending.erase(0, s.consumed);
      if (s.progress != Progress::need_more || s.consumed == 0) break;
    }
  }
  const Error e = d.finish();
  return std::string(error_name(e)) + " " + content + " " +
         (d.progress() == Progress::complete ? std::to_string(d.body_bytes()) : "");
}

}  // namespace
}  // namespace httpfsm::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace httpfsm;
  using namespace httpfsm::fuzz;
  FuzzInput in(data, size);
  const auto method = static_cast<Method>(in.byte() % kMethodCount);
  const bool tight = (in.byte() & 1) != 0;
  Limits limits;
  if (tight) {
    limits.max_head = 96;
    limits.max_field_line = 40;
    limits.max_fields = 4;
    limits.max_body = 64;
  }
  const SplitPoints split = in.split_points(8);
  const std::string_view bytes = in.rest();
  const std::vector<std::size_t> cuts = split.at(bytes.size());
  const Outcome whole = parse(bytes, {}, method, limits);
  const Outcome pieces = parse(bytes, cuts, method, limits);
  HTTPFSM_FUZZ_CHECK(whole == pieces,
                     escape(bytes) + "\nwhole: " + whole.str() + "\npieces: " + pieces.str());
  if (whole.progress == Progress::complete) {
    ResponseHeadParser p(limits);
    p.reset(method);
    HTTPFSM_FUZZ_CHECK(p.parse(bytes) == Progress::complete, escape(bytes));
    const std::string_view body = bytes.substr(whole.consumed);
    std::vector<std::size_t> body_cuts;
    for (const std::size_t c : cuts) {
      if (c > whole.consumed) body_cuts.push_back(c - whole.consumed);
    }
    HTTPFSM_FUZZ_CHECK(
        decode(body, p.head(), {}, limits) == decode(body, p.head(), body_cuts, limits),
        escape(bytes));
  }
  return 0;
}
