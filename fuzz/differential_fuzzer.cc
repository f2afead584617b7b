// differential_fuzzer: httpfsm against llhttp (strict mode, no lenient flag) on the same stream
// of pipelined requests, message by message.
//   - Both accept a message: method, target, version, field count, names and values, framing,
//     body bytes, trailers and persistence must agree.
//   - One rejects what the other accepts (or is still reading), or they frame the body
//     differently: abort, unless the input belongs to a class reviewed in
//     fuzz/differential/ALLOWED.md (classify() in differential/divergence.cc).
// Comparison stops after the first message either side rejects, after a message that ends
// the connection (RFC 9112 §9.6: no further request is processed), and where llhttp stops for
// an upgrade or CONNECT.
//
// Response mode: an input that starts with "HTTP/" (which no request stream can) is a stream of
// responses, each answering a GET, read by httpfsm's ResponseReader and by llhttp in
// HTTP_RESPONSE mode; the end of the input is the server's close, which ends a body delimited by
// it (RFC 9112 §6.3 item 8). Both accept: status, version, fields, framing, body, trailers and
// persistence must agree; differences are classified by classify_response() under the
// "Responses" part of ALLOWED.md. Comparison stops as for requests, and after a 101.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "differential/divergence.hpp"
#include "differential/llhttp_run.hpp"
#include "fuzz_check.hpp"
#include "http_syntax.hpp"
#include "httpfsm/message_reader.hpp"
#include "request_stream.hpp"

namespace httpfsm::fuzz {
namespace {

enum class State { none, failed, head_incomplete, body_incomplete, complete };

State state_of(const MessageRecord* m) {
  if (m == nullptr) return State::none;
  if (m->head_progress == Progress::failed) return State::failed;
  if (m->head_progress == Progress::need_more) return State::head_incomplete;
  if (m->body_progress == Progress::complete) return State::complete;
  if (m->body_error == Error::truncated) return State::body_incomplete;
  return State::failed;
}

State state_of(const LlhttpRun& run, std::size_t i) {
  const bool last = i + 1 == run.messages.size();
  if (i >= run.messages.size()) {
    // An error between messages (before on_message_begin) belongs to the next one.
    return i == run.messages.size() && run.error != 0 ? State::failed : State::none;
  }
  const LlhttpMessage& m = run.messages[i];
  if (m.complete) return State::complete;
  if (last && run.error != 0) return State::failed;
  return m.headers_complete ? State::body_incomplete : State::head_incomplete;
}

// Content, trailers and persistence, the same for requests and responses: complete messages
// must agree on all three; while still reading, what each delivered so far must be a prefix
// of the other's.
template <class Record>
Aspect compare_content(const Record& h, const LlhttpMessage& l, bool keep_alive,
                       bool both_complete) {
  if (!both_complete) {
    const std::string_view a = h.content, b = l.body;
    return a.substr(0, b.size()) != b.substr(0, a.size()) ? Aspect::body : Aspect::none;
  }
  if (h.content != l.body) return Aspect::body;
  if (h.trailers.size() != l.trailers.size()) return Aspect::trailers;
  for (std::size_t i = 0; i < h.trailers.size(); ++i) {
    if (h.trailers[i].first != l.trailers[i].first ||
        h.trailers[i].second != trim_ows(l.trailers[i].second)) {
      return Aspect::trailers;
    }
  }
  return keep_alive != l.keep_alive ? Aspect::keep_alive : Aspect::none;
}

// The first difference between two accepted heads (and bodies as far as both got), if any.
Aspect compare(const MessageRecord& h, const LlhttpMessage& l, bool both_complete) {
  const HeadRecord& head = h.head;
  if (head.method != l.method) return Aspect::method;
  if (head.target != l.url) return Aspect::target;
  if (l.version_major != 1 || l.version_minor != head.version_minor) return Aspect::version;
  if (head.fields.size() != l.fields.size()) return Aspect::fields;
  for (std::size_t i = 0; i < head.fields.size(); ++i) {
    // RFC 9112 §5: the OWS around a field value is not part of it.
    if (head.fields[i].name != l.fields[i].first ||
        head.fields[i].value != trim_ows(l.fields[i].second)) {
      return Aspect::fields;
    }
  }
  if ((head.framing == Framing::chunked) != l.chunked) return Aspect::framing;
  if ((head.framing == Framing::content_length) != (l.has_content_length && !l.chunked)) {
    return Aspect::framing;
  }
  if (head.framing == Framing::content_length && head.content_length != l.content_length) {
    return Aspect::framing;
  }
  return compare_content(h, l, head.keep_alive, both_complete);
}

// HTTPFSM_DIFFERENTIAL_SURVEY=1: for reviewing new classes in bulk (after an llhttp upgrade,
// say), print the first input of each kind of unreviewed difference and go on instead of
// aborting. Never set in CI or ctest: a survey run proves nothing.
bool survey_mode() {
  static const bool on = std::getenv("HTTPFSM_DIFFERENTIAL_SURVEY") != nullptr;
  return on;
}

void survey(const Divergence& d, const LlhttpRun& ll) {
  static std::set<std::string> seen;
  std::string kind = std::string(kind_name(d.kind)) + " " + std::string(aspect_name(d.aspect));
  if (const MessageRecord* h = d.httpfsm) {
    if (h->head_progress == Progress::failed)
      kind += " head:" + std::string(error_name(h->head_error));
    if (h->head_progress == Progress::complete && h->body_progress == Progress::failed) {
      kind += " body:" + std::string(error_name(h->body_error));
    }
  }
  if (d.kind == DivergenceKind::llhttp_rejects)
    kind += " llhttp:" + ll.error_name + " " + ll.error_reason;
  if (seen.insert(kind).second) {
    std::fprintf(stderr, "SURVEY %s\n  \"%s\"\n", kind.c_str(), escape(d.stream).c_str());
  }
}

void diverge(Divergence d, const StreamRecord& fsm, const LlhttpRun& ll) {
  if (classify(d)) return;
  if (survey_mode()) return survey(d, ll);
  HTTPFSM_FUZZ_CHECK(
      false, std::string("unreviewed difference: ") + std::string(kind_name(d.kind)) + " " +
                 std::string(aspect_name(d.aspect)) + " at message " + std::to_string(d.index) +
                 " (offset " + std::to_string(d.start) + ")\nstream: \"" + escape(d.stream) +
                 "\"\nhttpfsm:\n" + describe(fsm) + "llhttp:\n" + describe(ll));
}

void compare_streams(std::string_view stream) {
  const StreamRecord fsm = run_stream(stream, Limits{});
  const LlhttpRun ll = run_llhttp(stream);
  std::size_t start = 0;
  for (std::size_t i = 0;; ++i) {
    const MessageRecord* h = i < fsm.messages.size() ? &fsm.messages[i] : nullptr;
    const LlhttpMessage* l = i < ll.messages.size() ? &ll.messages[i] : nullptr;
    const State hs = state_of(h);
    const State ls = state_of(ll, i);
    Divergence d;
    d.stream = stream;
    d.index = i;
    d.start = start;
    d.httpfsm = h;
    d.llhttp = l;
    d.llhttp_run = &ll;
    if (hs == State::none && ls == State::none) return;
    if (hs == State::failed && ls == State::failed) return;  // both reject
    // One side rejects. It is a difference only if the other side got past the head: a
    // parser still reading the head has not accepted the message (llhttp checks some rules
    // only once the head is complete, httpfsm as each field line ends).
    if (hs == State::failed) {
      if (ls == State::none || ls == State::head_incomplete) return;
      d.kind = DivergenceKind::httpfsm_rejects;
      return diverge(d, fsm, ll);
    }
    if (ls == State::failed) {
      if (hs == State::none || hs == State::head_incomplete) return;
      d.kind = DivergenceKind::llhttp_rejects;
      return diverge(d, fsm, ll);
    }
    // llhttp stops after the head of an upgrade or CONNECT request and hands the connection
    // over: compare that head, and stop.
    if (ll.paused_upgrade && i + 1 == ll.messages.size() && l->headers_complete &&
        (hs == State::complete || hs == State::body_incomplete)) {
      d.kind = DivergenceKind::differ;
      d.aspect = compare(*h, *l, false);
      if (d.aspect != Aspect::none) diverge(d, fsm, ll);
      return;
    }
    // Neither rejects. Leading empty lines are a head in progress for httpfsm only.
    if (ls == State::none && hs == State::head_incomplete) return;
    if (hs == State::head_incomplete || ls == State::head_incomplete) {
      if (hs == ls) return;  // both still reading the head
      d.kind = DivergenceKind::differ;
      d.aspect = Aspect::framing;  // one saw the end of the head, the other did not
      return diverge(d, fsm, ll);
    }
    if (hs == State::none || ls == State::none) {
      d.kind = DivergenceKind::differ;
      d.aspect = Aspect::framing;  // one found another message where the other did not
      return diverge(d, fsm, ll);
    }
    // Both heads are complete.
    d.kind = DivergenceKind::differ;
    d.aspect = compare(*h, *l, hs == State::complete && ls == State::complete);
    if (d.aspect == Aspect::none && hs != ls) d.aspect = Aspect::framing;
    if (d.aspect != Aspect::none) return diverge(d, fsm, ll);
    if (hs != State::complete) return;  // both still reading the body
    // RFC 9112 §9.6: no request after one that closes the connection is processed.
    if (!h->head.keep_alive) return;
    start += h->head_consumed + h->body_consumed;
  }
}

// ---------------------------------------------------------------------------------------------
// Response mode

// What httpfsm's ResponseReader reported for one response (read whole: splits are the
// message_reader_fuzzer's business).
ResponseRecord record_response(std::span<const char> m, const ResponseHead& h) {
  ResponseRecord r;
  r.head_complete = true;
  r.status = h.status;
  r.version_minor = h.version_minor;
  r.reason = std::string(text(m, h.reason));
  for (const Field& f : h.fields) r.fields.emplace_back(text(m, f.name), text(m, f.value));
  r.framing = h.framing;
  r.content_length = h.content_length;
  r.keep_alive = h.keep_alive;
  r.interim = h.interim;
  r.leaves_http = h.leaves_http;
  return r;
}

std::vector<ResponseRecord> run_responses(std::string_view stream) {
  std::vector<ResponseRecord> out;
  ResponseReader reader;
  std::size_t at = 0;
  ResponseRecord current;
  bool in_message = false;
  for (;;) {
    if (reader.pending_requests() == 0) reader.request_sent(Method::get);
    const std::string_view rest = stream.substr(at);
    ReadStep s = reader.next(rest);
    bool at_close = false;
    if (s.event == ReadEvent::need_more) {
      at += s.consumed;
      s = reader.finish(stream.substr(at));
      at_close = true;
    }
    switch (s.event) {
      case ReadEvent::head:
        current = record_response(rest, reader.head());
        current.start = at;
        current.head_bytes = s.consumed;
        in_message = true;
        if (current.interim) {  // complete as it is: the final response follows
          current.complete = true;
          out.push_back(current);
          in_message = false;
        }
        break;
      case ReadEvent::data:
        current.content.append(s.data.data(), s.data.size());
        break;
      case ReadEvent::end:
        for (const Field& f : reader.trailers()) {
          current.trailers.emplace_back(text(rest, f.name), text(rest, f.value));
        }
        current.complete = true;
        out.push_back(current);
        in_message = false;
        break;
      case ReadEvent::error:
        if (!in_message) {
          current = ResponseRecord{};
          current.start = at;
        }
        current.error = reader.error();
        current.error_at = reader.error_offset();
        out.push_back(current);
        return out;
      case ReadEvent::need_more:
      case ReadEvent::switched:
      case ReadEvent::closed:
        return out;
    }
    at += s.consumed;
    if (at_close && s.event != ReadEvent::end) return out;
  }
}

State state_of(const ResponseRecord* r) {
  if (r == nullptr) return State::none;
  if (r->complete) return State::complete;
  if (r->error == Error::truncated) {
    return r->head_complete ? State::body_incomplete : State::head_incomplete;
  }
  return State::failed;
}

// The first difference between two accepted responses, if any.
Aspect compare(const ResponseRecord& h, const LlhttpMessage& l, bool both_complete) {
  if (h.status != l.status) return Aspect::status;
  if (l.version_major != 1 || l.version_minor != h.version_minor) return Aspect::version;
  if (h.fields.size() != l.fields.size()) return Aspect::fields;
  for (std::size_t i = 0; i < h.fields.size(); ++i) {
    if (h.fields[i].first != l.fields[i].first ||
        h.fields[i].second != trim_ows(l.fields[i].second)) {
      return Aspect::fields;
    }
  }
  // RFC 9112 §6.3 item 1: 1xx, 204 and 304 have no body whatever their fields say.
  const bool bodiless = h.status < 200 || h.status == 204 || h.status == 304;
  if (!bodiless && !h.leaves_http) {
    if ((h.framing == Framing::chunked) != l.chunked) return Aspect::framing;
    if (h.framing == Framing::content_length &&
        (!l.has_content_length || l.chunked || l.content_length != h.content_length)) {
      return Aspect::framing;
    }
  }
  return compare_content(h, l, h.keep_alive, both_complete);
}

std::string describe(const std::vector<ResponseRecord>& rs) {
  std::string s;
  for (std::size_t i = 0; i < rs.size(); ++i) {
    const ResponseRecord& r = rs[i];
    s += "#" + std::to_string(i) + " @" + std::to_string(r.start);
    if (r.head_complete) {
      s += " " + std::to_string(r.status) + " " + escape(r.reason) + " 1." +
           std::to_string(r.version_minor);
      for (const auto& [name, value] : r.fields) s += "; " + escape(name) + "=" + escape(value);
      s += " framing=" + std::string(framing_name(r.framing)) +
           " cl=" + std::to_string(r.content_length) + (r.keep_alive ? " keep-alive" : " close") +
           (r.interim ? " interim" : "") + (r.leaves_http ? " leaves-http" : "") + " body=\"" +
           escape(r.content) + "\"";
      for (const auto& [name, value] : r.trailers)
        s += " trailer " + escape(name) + "=" + escape(value);
    }
    if (r.complete) s += " complete";
    if (r.error != Error::none) {
      s += " error " + std::string(error_name(r.error)) + " @" + std::to_string(r.error_at);
    }
    s += "\n";
  }
  return s;
}

void diverge(ResponseDivergence d, const std::vector<ResponseRecord>& fsm, const LlhttpRun& ll) {
  if (classify_response(d)) return;
  const std::string what =
      std::string(kind_name(d.kind)) + " " + std::string(aspect_name(d.aspect));
  if (survey_mode()) {
    static std::set<std::string> seen;
    std::string kind = "response " + what;
    if (d.httpfsm != nullptr && d.httpfsm->error != Error::none) {
      kind += " httpfsm:" + std::string(error_name(d.httpfsm->error));
    }
    if (d.kind == DivergenceKind::llhttp_rejects)
      kind += " llhttp:" + ll.error_name + " " + ll.error_reason;
    if (seen.insert(kind).second) {
      std::fprintf(stderr, "SURVEY %s\n  \"%s\"\n", kind.c_str(), escape(d.stream).c_str());
    }
    return;
  }
  HTTPFSM_FUZZ_CHECK(false, "unreviewed response difference: " + what + " at message " +
                                std::to_string(d.index) + "\nstream: \"" + escape(d.stream) +
                                "\"\nhttpfsm:\n" + describe(fsm) + "llhttp:\n" + describe(ll));
}

void compare_responses(std::string_view stream) {
  const std::vector<ResponseRecord> fsm = run_responses(stream);
  const LlhttpRun ll = run_llhttp(stream, true);
  for (std::size_t i = 0;; ++i) {
    const ResponseRecord* h = i < fsm.size() ? &fsm[i] : nullptr;
    const LlhttpMessage* l = i < ll.messages.size() ? &ll.messages[i] : nullptr;
    const State hs = state_of(h);
    const State ls = state_of(ll, i);
    ResponseDivergence d;
    d.stream = stream;
    d.index = i;
    d.httpfsm = h;
    d.llhttp = l;
    d.llhttp_run = &ll;
    if (hs == State::none && ls == State::none) return;
    if (hs == State::failed && ls == State::failed) return;
    if (hs == State::failed) {
      if (ls == State::none || ls == State::head_incomplete) return;
      d.kind = DivergenceKind::httpfsm_rejects;
      return diverge(d, fsm, ll);
    }
    if (ls == State::failed) {
      if (hs == State::none || hs == State::head_incomplete) return;
      d.kind = DivergenceKind::llhttp_rejects;
      return diverge(d, fsm, ll);
    }
    if (hs == State::head_incomplete || ls == State::head_incomplete) {
      if (hs == ls) return;
      d.kind = DivergenceKind::differ;
      d.aspect = Aspect::framing;
      return diverge(d, fsm, ll);
    }
    if (hs == State::none || ls == State::none) {
      d.kind = DivergenceKind::differ;
      d.aspect = Aspect::framing;
      return diverge(d, fsm, ll);
    }
    d.kind = DivergenceKind::differ;
    d.aspect = compare(*h, *l, hs == State::complete && ls == State::complete);
    if (d.aspect == Aspect::none && hs != ls) d.aspect = Aspect::framing;
    if (d.aspect != Aspect::none) return diverge(d, fsm, ll);
    if (hs != State::complete) return;
    // A 101 hands the connection over (llhttp pauses); a close ends it.
    if (h->leaves_http || ll.paused_upgrade) return;
    if (!h->keep_alive) return;
  }
}

}  // namespace
}  // namespace httpfsm::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view stream(reinterpret_cast<const char*>(data), size);
  if (stream.starts_with("HTTP/")) {
    httpfsm::fuzz::compare_responses(stream);
  } else {
    httpfsm::fuzz::compare_streams(stream);
  }
  return 0;
}
