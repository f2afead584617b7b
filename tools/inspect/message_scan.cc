// The scan loop of httpfsm-inspect: one RequestReader or ResponseReader over the whole input,
// with every byte of the stream already in memory, so "need more" means the input ended: the
// reader's finish() then tells a close-delimited body's end from a message cut short (RFC 9112
// §8: truncated).
#include "message_scan.hpp"

#include <httpfsm/message_reader.hpp>

#include <algorithm>
#include <span>
#include <type_traits>

namespace inspect {

namespace {

std::vector<FieldText> field_texts(std::string_view base, std::span<const httpfsm::Field> fs) {
  std::vector<FieldText> out;
  out.reserve(fs.size());
  for (const httpfsm::Field& f : fs) {
    out.push_back({httpfsm::text(base, f.name), httpfsm::text(base, f.value)});
  }
  return out;
}

void copy_head(std::string_view m, const httpfsm::RequestHead& h, MessageReport& r) {
  r.method = httpfsm::text(m, h.method);
  r.method_id = h.method_id;
  r.target = httpfsm::text(m, h.target);
  r.target_form = h.target_form;
  r.expect_continue = h.expect_continue;
}

void copy_head(std::string_view m, const httpfsm::ResponseHead& h, MessageReport& r) {
  r.response = true;
  r.status = h.status;
  r.reason = httpfsm::text(m, h.reason);
  r.interim = h.interim;
  r.leaves_http = h.leaves_http;
}

// Reports every message `reader` reads from `input`. `before_next` runs before each call of
// next() (a response scan queues the requests answered there). A request that closes the
// connection ends a server's reading (RFC 9112 §9.6), but a capture may go on: the reader
// starts afresh after it, so every message is reported.
template <class Reader, class BeforeNext>
bool scan(std::string_view input, Reader& reader, BeforeNext before_next,
          const std::function<void(const MessageReport&)>& on_message) {
  constexpr bool kResponse = std::is_same_v<Reader, httpfsm::ResponseReader>;
  std::uint64_t at = 0;    // bytes consumed
  std::uint64_t base = 0;  // where the reader's stream began
  std::size_t index = 0;
  MessageReport r;
  bool in_message = false;
  const auto start = [&] {
    r = MessageReport{};
    r.response = kResponse;
    r.index = ++index;
    r.offset = at;
    in_message = true;
  };
  for (bool closed = false; !closed;) {
    before_next();
    const std::string_view rest = input.substr(at);
    httpfsm::ReadStep s = reader.next(rest);
    // Every byte is here already: needing more means the input ended.
    if (s.event == httpfsm::ReadEvent::need_more) {
      if (in_message) r.body_bytes += s.consumed;
      at += s.consumed;
      s = reader.finish(input.substr(at));
      closed = s.event != httpfsm::ReadEvent::end;
    }
    switch (s.event) {
      case httpfsm::ReadEvent::head: {
        start();
        const auto& h = reader.head();
        r.head_complete = true;
        copy_head(rest, h, r);
        r.version_minor = h.version_minor;
        r.fields = field_texts(rest, h.fields);
        r.framing = h.framing;
        r.content_length = h.content_length;
        r.keep_alive = h.keep_alive;
        r.head_bytes = static_cast<std::uint32_t>(s.consumed);
        if (r.interim) {  // no body and no end event: the report is complete
          at += s.consumed;
          on_message(r);
          in_message = false;
          continue;
        }
        break;
      }
      case httpfsm::ReadEvent::data:
        r.body_bytes += s.consumed;
        r.content_bytes += s.data.size();
        break;
      case httpfsm::ReadEvent::end:
        r.body_bytes += s.consumed;
        r.trailers = field_texts(rest, reader.trailers());
        at += s.consumed;
        on_message(r);
        in_message = false;
        continue;
      case httpfsm::ReadEvent::error:
        if (!in_message) start();
        r.error = reader.error();
        r.error_offset = base + reader.error_offset();
        on_message(r);
        return false;
      case httpfsm::ReadEvent::need_more:
      case httpfsm::ReadEvent::switched:
        return true;
      case httpfsm::ReadEvent::closed:
        if (kResponse || closed) return true;
        base = at;
        reader.reset();
        continue;
    }
    at += s.consumed;
  }
  return true;
}

}  // namespace

bool scan_messages(std::string_view input, const httpfsm::Limits& limits,
                   const std::function<void(const MessageReport&)>& on_message) {
  httpfsm::RequestReader reader(limits);
  return scan(
      input, reader, [] {}, on_message);
}

bool scan_responses(std::string_view input, const httpfsm::Limits& limits, httpfsm::Method method,
                    const std::function<void(const MessageReport&)>& on_message) {
  httpfsm::ResponseReader reader(limits);
  // Every response in the capture answers a request with `method`.
  const auto queue = [&] {
    if (reader.pending_requests() == 0) reader.request_sent(method);
  };
  return scan(input, reader, queue, on_message);
}

bool scan_exchange(std::string_view requests, std::string_view responses,
                   const httpfsm::Limits& limits,
                   const std::function<void(const MessageReport&)>& on_request,
                   const std::function<void(const MessageReport&)>& on_response) {
  std::vector<MessageReport> sent;
  bool requests_valid =
      scan_messages(requests, limits, [&](const MessageReport& r) { sent.push_back(r); });
  // The requests whose head was read, in order: the ones a server would answer.
  std::vector<const MessageReport*> answerable;
  for (const MessageReport& r : sent) {
    if (r.head_complete) answerable.push_back(&r);
  }

  httpfsm::ResponseReader reader(limits);
  std::size_t queued = 0;    // requests told to the reader
  std::size_t answered = 0;  // final responses read
  // At most kMaxPending requests are outstanding at once: queue each as room frees up.
  const auto queue = [&] {
    while (queued < answerable.size() && reader.request_sent(answerable[queued]->method_id)) {
      ++queued;
    }
  };
  std::vector<MessageReport> received;
  const bool responses_valid = scan(responses, reader, queue, [&](const MessageReport& r) {
    MessageReport a = r;
    if (answered < answerable.size() && a.error != httpfsm::Error::unsolicited_response) {
      a.answers = answered + 1;
      a.answers_method = answerable[answered]->method;
    }
    if (a.head_complete && !a.interim) ++answered;
    received.push_back(a);
  });

  // RFC 9110 §7.8, §9.3.6: after a 101 or a 2xx to CONNECT the connection carries another
  // protocol both ways, so the client's bytes after the request it answers are not requests:
  // report the requests up to that one only, and judge only those.
  for (const MessageReport& a : received) {
    if (!a.leaves_http || a.answers == 0) continue;
    std::size_t kept = 0;
    for (std::size_t seen = 0; kept < sent.size() && seen < a.answers; ++kept) {
      if (sent[kept].head_complete) ++seen;
    }
    sent.resize(kept);
    requests_valid = std::all_of(sent.begin(), sent.end(), [](const MessageReport& r) {
      return r.error == httpfsm::Error::none;
    });
    break;
  }

  // Interleaved: request i (1-based among the answerable ones), then its responses.
  std::size_t next_response = 0;
  std::size_t answerable_index = 0;
  for (const MessageReport& q : sent) {
    on_request(q);
    if (!q.head_complete) continue;
    ++answerable_index;
    while (next_response < received.size() && received[next_response].answers == answerable_index) {
      on_response(received[next_response++]);
    }
  }
  while (next_response < received.size()) on_response(received[next_response++]);
  return requests_valid && responses_valid;
}

}  // namespace inspect
