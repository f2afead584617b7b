// The connection logic as a state machine (RapidCheck rc::state): random sequences of
// "queue a request", "deliver the next n bytes", "drain the output", "half-close" and "time
// out" against the I/O-free Connection, checked after every step against a model of what
// RFC 9112 and the server's close rules (connection.hpp) require:
//   - every response is well formed (the strict reader, check_server_invariants) and the
//     responses come one per request, in order (each request echoes its own id);
//   - a request with "Connection: close" is the last one answered, and its body is not read;
//   - a head error is answered with a 4xx and "Connection: close", and nothing after it;
//   - a framing error in a body (answered already) closes without another word;
//   - a half-close closes once the output is sent; a cut-off message gets no answer;
//   - a timeout answers 408 only to a started head, and always closes.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <rapidcheck/state.h>

#include <memory>
#include <string>
#include <vector>

#include "connection.hpp"
#include "test_support.hpp"
#include "testing/request_model.hpp"
#include "testing/response_reader.hpp"
#include "testing/test_site.hpp"

namespace httpfsm::server {
namespace {

namespace model = httpfsm::testing::gen;
using httpfsm::testing::escape;

// One request of the stream, with where its parts and its error (if any) lie.
struct StreamRequest {
  enum class Kind { ok, bad_byte_in_head, framing_conflict, bad_chunk_in_body };
  int id = 0;
  Kind kind = Kind::ok;
  std::string bytes;
  std::size_t head_size = 0;
  std::size_t error_at = 0;  // bad byte: the offset whose arrival fails the request
  bool head_method = false;  // HEAD: the response has no content
  bool closes = false;       // "Connection: close"
};

// What the connection must have said after the bytes delivered so far and the events.
struct Expected {
  struct Response {
    int status = 0;
    int id = -1;  // the request it answers, or -1 (an error or 408)
    bool head_method = false;
    bool closes = false;
  };
  std::vector<Response> responses;
  bool reading = true;  // still reading input (a head, a body, or between requests)
  bool done = false;    // Connection::done() once the output is drained
};

struct Model {
  std::vector<StreamRequest> requests;
  std::size_t queued = 0;     // bytes of all requests
  std::size_t delivered = 0;  // bytes given to the connection
  bool eof = false;
  bool timed_out = false;
};

// Where the stream stands once `delivered` bytes have arrived: the responses due, and
// whether the connection stopped, sits between requests, or is inside a head or a body.
enum class Position { between, in_head, in_body, stopped };

Expected expect(const Model& m) {
  Expected e;
  Position where = Position::between;
  std::size_t start = 0;
  for (const StreamRequest& r : m.requests) {
    if (m.delivered <= start) break;  // nothing of it yet: between requests
    const std::size_t head_end = start + r.head_size;
    const std::size_t end = start + r.bytes.size();
    if (r.kind == StreamRequest::Kind::bad_byte_in_head && m.delivered > start + r.error_at) {
      // RFC 9112 §2.2/§5: answered 400 as soon as the byte arrives, then closed.
      e.responses.push_back({400, -1, false, true});
      where = Position::stopped;
      break;
    }
    if (m.delivered < head_end) {
      where = Position::in_head;
      break;
    }
    if (r.kind == StreamRequest::Kind::framing_conflict) {
      // RFC 9112 §6.1: Content-Length with Transfer-Encoding, found at the end of the head.
      e.responses.push_back({400, -1, false, true});
      where = Position::stopped;
      break;
    }
    // The echo is answered from its head; a body is then read and dropped, unless the
    // request closes the connection (RFC 9112 §9.6: closed after the response, body unread).
    e.responses.push_back({200, r.id, r.head_method, r.closes});
    if (r.closes) {
      where = Position::stopped;
      break;
    }
    if (r.kind == StreamRequest::Kind::bad_chunk_in_body && m.delivered > start + r.error_at) {
      where = Position::stopped;  // answered already and the framing is lost: close
      break;
    }
    if (m.delivered < end) {
      where = Position::in_body;
      break;
    }
    start = end;
  }
  e.reading = where != Position::stopped;
  e.done = where == Position::stopped;
  if (e.reading && m.timed_out) {
    // RFC 9110 §15.5.9: 408 only to a head that has started; otherwise close silently.
    if (where == Position::in_head) e.responses.push_back({408, -1, false, true});
    e.reading = false;
    e.done = true;
  } else if (e.reading && m.eof) {
    // Half-close: between requests the connection closes once its output is sent; a
    // message cut short is not answered (RFC 9112 §8). Either way it is done.
    e.reading = false;
    e.done = true;
  }
  return e;
}

struct Sut {
  testing::TestSite site;
  std::unique_ptr<Connection> conn = site.connect();
  std::string raw;  // every byte the connection has sent
};

// Sends everything the connection has queued, as the worker would, until nothing more comes.
void drain(Sut& s) {
  for (std::string more = testing::drain(s.conn->output()); !more.empty();
       more = testing::drain(s.conn->output())) {
    s.raw += more;
    s.conn->on_output_progress();
  }
}

// Compares everything sent so far with the model.
void check(const Model& m, Sut& s) {
  drain(s);
  const Expected e = expect(m);
  std::vector<bool> heads;
  for (const auto& r : e.responses) heads.push_back(r.head_method);
  std::unique_ptr<bool[]> flags(new bool[heads.size() + 1]);
  for (std::size_t i = 0; i < heads.size(); ++i) flags[i] = heads[i];
  std::vector<httpfsm::testing::HttpResponse> got;
  std::string error;
  RC_LOG() << "sent: " << escape(s.raw) << "\n";
  RC_ASSERT(httpfsm::testing::read_responses(s.raw, &got, &error, {flags.get(), heads.size()}));
  RC_ASSERT(error == "");
  RC_ASSERT(got.size() == e.responses.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    const auto& r = got[i];
    RC_ASSERT(httpfsm::testing::check_server_invariants(r) == "");
    RC_ASSERT(r.status == e.responses[i].status);
    if (e.responses[i].id >= 0 && !e.responses[i].head_method) {
      // The echo of the request's own id: responses are in request order.
      const std::string body =
          r.field("Content-Encoding") == "gzip" ? testing::gunzip(r.body) : r.body;
      RC_ASSERT(body == "r" + std::to_string(e.responses[i].id));
    }
    // A response after which nothing is answered says so (RFC 9112 §9.6).
    if (e.responses[i].closes) RC_ASSERT(r.closes());
  }
  RC_ASSERT(s.conn->done() == e.done);
  RC_ASSERT(s.conn->wants_input() == e.reading);
}

bool open(const Model& m) { return expect(m).reading; }

// --- Requests ------------------------------------------------------------------------------

StreamRequest make_request(int id) {
  using Kind = StreamRequest::Kind;
  StreamRequest r;
  r.id = id;
  r.kind = *rc::gen::weightedElement<Kind>({{12, Kind::ok},
                                            {1, Kind::bad_byte_in_head},
                                            {1, Kind::framing_conflict},
                                            {1, Kind::bad_chunk_in_body}});
  httpfsm::testing::RequestModel m;
  m.method = r.kind == Kind::ok && *rc::gen::inRange(0, 4) == 0 ? "HEAD" : "GET";
  r.head_method = m.method == "HEAD";
  m.target = "/echo/r" + std::to_string(id);
  m.minor = 1;
  m.fields = *rc::gen::resize(
      20, rc::gen::container<std::vector<httpfsm::testing::FieldLine>>(model::plain_field_line()));
  m.fields.insert(m.fields.begin(), {"Host", " ", "x", ""});
  r.closes = r.kind == Kind::ok && *rc::gen::inRange(0, 8) == 0;
  if (r.closes) m.fields.push_back({"Connection", " ", "close", ""});
  m.framing = r.kind == Kind::ok
                  ? *rc::gen::element(Framing::no_body, Framing::content_length, Framing::chunked)
                  : Framing::chunked;
  if (r.kind == Kind::bad_byte_in_head) m.framing = Framing::no_body;
  if (m.framing == Framing::content_length) {
    m.content = *model::content(40);
    m.fields.push_back({"Content-Length", " ", std::to_string(m.content.size()), ""});
  } else if (m.framing == Framing::chunked) {
    m.chunked = *model::chunked_body();
    if (r.kind == Kind::bad_chunk_in_body && m.chunked.chunks.empty()) {
      m.chunked.chunks.push_back({"1", "", "x"});
    }
    for (const auto& c : m.chunked.chunks) m.content += c.data;
    m.fields.push_back({"Transfer-Encoding", " ", "chunked", ""});
  }
  if (r.kind == Kind::framing_conflict) m.fields.push_back({"Content-Length", " ", "5", ""});
  if (r.kind == Kind::bad_byte_in_head) m.fields.push_back({"X-Bad", " ", "a\x01z", ""});
  const httpfsm::testing::Wire w = httpfsm::testing::serialize(m);
  r.bytes = w.bytes;
  r.head_size = w.head_size;
  if (r.kind == Kind::bad_byte_in_head) r.error_at = w.fields.back().value.offset + 1;
  if (r.kind == Kind::bad_chunk_in_body) {
    // A chunk-size digit replaced by a byte that is no hex digit (RFC 9112 §7.1).
    const auto& chunk = w.chunks[*rc::gen::inRange<std::size_t>(0, w.chunks.size() - 1)];
    r.error_at = w.head_size + chunk.header.offset;
    r.bytes[r.error_at] = 'g';
  }
  return r;
}

// --- Commands ------------------------------------------------------------------------------

using Command = rc::state::Command<Model, Sut>;

struct Queue : Command {
  StreamRequest request;
  explicit Queue(const Model& m) {
    if (open(m)) request = make_request(static_cast<int>(m.requests.size()));
  }
  void checkPreconditions(const Model& m) const override { RC_PRE(open(m)); }
  void apply(Model& m) const override {
    m.requests.push_back(request);
    m.queued += request.bytes.size();
  }
  void run(const Model& m, Sut& s) const override { check(nextState(m), s); }
  void show(std::ostream& os) const override {
    os << "Queue r" << request.id << " \"" << escape(request.bytes) << "\"";
  }
};

struct Deliver : Command {
  std::size_t n;
  explicit Deliver(const Model& m)
      : n(m.queued > m.delivered ? *rc::gen::inRange<std::size_t>(1, m.queued - m.delivered + 1)
                                 : 0) {}
  void checkPreconditions(const Model& m) const override {
    RC_PRE(open(m));
    RC_PRE(n > 0 && m.delivered + n <= m.queued);
  }
  void apply(Model& m) const override { m.delivered += n; }
  void run(const Model& m, Sut& s) const override {
    RC_ASSERT(s.conn->wants_input());
    std::string bytes;
    for (const StreamRequest& r : m.requests) bytes += r.bytes;
    s.conn->on_bytes(std::string_view(bytes).substr(m.delivered, n));
    check(nextState(m), s);
  }
  void show(std::ostream& os) const override { os << "Deliver " << n << " bytes"; }
};

// The worker sends what is queued: always possible, and nothing may change but the output.
struct Drain : Command {
  explicit Drain(const Model&) {}
  void run(const Model& m, Sut& s) const override { check(m, s); }
  void show(std::ostream& os) const override { os << "Drain"; }
};

struct HalfClose : Command {
  explicit HalfClose(const Model&) {}
  void checkPreconditions(const Model& m) const override { RC_PRE(open(m)); }
  void apply(Model& m) const override { m.eof = true; }
  void run(const Model& m, Sut& s) const override {
    s.conn->on_eof();
    check(nextState(m), s);
  }
  void show(std::ostream& os) const override { os << "HalfClose"; }
};

struct TimeOut : Command {
  explicit TimeOut(const Model&) {}
  void checkPreconditions(const Model& m) const override { RC_PRE(open(m)); }
  void apply(Model& m) const override { m.timed_out = true; }
  void run(const Model& m, Sut& s) const override {
    s.conn->on_timeout();
    check(nextState(m), s);
  }
  void show(std::ostream& os) const override { os << "TimeOut"; }
};

RC_GTEST_PROP(ConnectionProperty, responses_are_well_formed_in_order_and_errors_close, ()) {
  Sut sut;
  rc::state::check(Model{}, sut,
                   rc::state::gen::execOneOfWithArgs<Queue, Queue, Deliver, Deliver, Deliver, Drain,
                                                     HalfClose, TimeOut>());
}

}  // namespace
}  // namespace httpfsm::server
