// MessageReader: the head -> body -> next-message loop over HeadParser/ResponseHeadParser and
// BodyDecoder, once for both directions (explicitly instantiated below).
#include "httpfsm/message_reader.hpp"

#include <type_traits>

namespace httpfsm {

namespace {
// RFC 9112 §2.2: empty lines before a request-line are ignored, so a request stream that
// ends in them ended between messages.
bool only_empty_lines(std::span<const char> rest) noexcept {
  if (rest.size() % 2 != 0) return false;
  for (std::size_t i = 0; i < rest.size(); i += 2) {
    if (rest[i] != '\r' || rest[i + 1] != '\n') return false;
  }
  return true;
}
}  // namespace

std::string_view read_event_name(ReadEvent e) noexcept {
  switch (e) {
    case ReadEvent::need_more:
      return "need_more";
    case ReadEvent::head:
      return "head";
    case ReadEvent::data:
      return "data";
    case ReadEvent::end:
      return "end";
    case ReadEvent::error:
      return "error";
    case ReadEvent::switched:
      return "switched";
    case ReadEvent::closed:
      return "closed";
  }
  return {};
}

template <class Side>
MessageReader<Side>::MessageReader(const Limits& limits) : parser_(limits), body_(limits) {
  reset();
}

template <class Side>
void MessageReader<Side>::reset() noexcept {
  state_ = State::head;
  started_ = false;
  keep_alive_ = true;
  leaves_http_ = false;
  decoding_ = false;
  error_ = Error::none;
  error_offset_ = 0;
  offset_ = 0;
  body_start_ = 0;
  messages_ = 0;
  pending_first_ = 0;
  pending_count_ = 0;
}

template <class Side>
bool MessageReader<Side>::request_sent(Method method) noexcept {
  if (pending_count_ == kMaxPending) return false;
  pending_[(pending_first_ + pending_count_) % kMaxPending] = method;
  ++pending_count_;
  return true;
}

template <class Side>
bool MessageReader<Side>::expecting_continue() const noexcept {
  if constexpr (std::is_same_v<Side, detail::RequestSide>) {
    return state_ == State::body && parser_.head().expect_continue && body_.body_bytes() == 0 &&
           body_.progress() == Progress::need_more;
  } else {
    return false;
  }
}

template <class Side>
ReadStep MessageReader<Side>::fail(Error e, std::uint64_t at) noexcept {
  state_ = State::failed;
  error_ = e;
  error_offset_ = at;
  return {ReadEvent::error, 0, {}};
}

template <class Side>
bool MessageReader<Side>::begin_message() noexcept {
  if constexpr (std::is_same_v<Side, detail::RequestSide>) {
    parser_.reset();
  } else {
    // RFC 9112 §9.3: responses arrive in the order of the requests; without a request
    // outstanding, bytes from the server cannot be a response to anything.
    if (pending_count_ == 0) {
      fail(Error::unsolicited_response, offset_);
      return false;
    }
    parser_.reset(pending_[pending_first_]);
  }
  started_ = true;
  return true;
}

template <class Side>
void MessageReader<Side>::end_head() noexcept {
  const auto& h = parser_.head();
  keep_alive_ = h.keep_alive;
  if constexpr (std::is_same_v<Side, detail::ResponseSide>) {
    leaves_http_ = h.leaves_http;
    if (h.interim) {
      // RFC 9110 §15.2: the final response to the same request follows.
      started_ = false;
      return;
    }
    pending_first_ = (pending_first_ + 1) % kMaxPending;
    --pending_count_;
  }
  // Most messages have no body: skip the decoder's start (measured: about 36 instructions a
  // message with callgrind on the bench corpora).
  decoding_ = h.framing != Framing::no_body && !leaves_http_;
  if (!decoding_) {
    state_ = State::bodiless;
    return;
  }
  body_.start(h);
  state_ = State::body;
}

template <class Side>
ReadStep MessageReader<Side>::end_message(std::size_t consumed) noexcept {
  ++messages_;
  started_ = false;
  state_ = leaves_http_ ? State::switched : keep_alive_ ? State::head : State::closed;
  return {ReadEvent::end, consumed, {}};
}

template <class Side>
ReadStep MessageReader<Side>::next(std::span<const char> input) noexcept {
  switch (state_) {
    case State::failed:
      return {ReadEvent::error, 0, {}};
    case State::switched:
      return {ReadEvent::switched, 0, {}};
    case State::closed:
      return {ReadEvent::closed, 0, {}};
    case State::head: {
      if (input.empty()) return {ReadEvent::need_more, 0, {}};
      if (!started_ && !begin_message()) return {ReadEvent::error, 0, {}};
      const Progress p = parser_.parse(input);
      if (p == Progress::need_more) return {ReadEvent::need_more, 0, {}};
      if (p == Progress::failed) return fail(parser_.error(), offset_ + parser_.error_offset());
      const std::size_t size = parser_.consumed();
      offset_ += size;
      body_start_ = offset_;
      end_head();
      return {ReadEvent::head, size, {}};
    }
    case State::bodiless:
      return end_message(0);
    case State::body: {
      const BodyStep s = body_.decode(input);
      offset_ += s.consumed;
      if (s.progress == Progress::failed) {
        return fail(body_.error(), body_start_ + body_.error_offset());
      }
      if (!s.data.empty()) return {ReadEvent::data, s.consumed, s.data};
      if (s.progress == Progress::complete) return end_message(s.consumed);
      return {ReadEvent::need_more, s.consumed, {}};
    }
  }
  return {ReadEvent::error, 0, {}};
}

template <class Side>
ReadStep MessageReader<Side>::finish(std::span<const char> input) noexcept {
  switch (state_) {
    case State::failed:
      return {ReadEvent::error, 0, {}};
    case State::switched:
      return {ReadEvent::switched, 0, {}};
    case State::closed:
      return {ReadEvent::closed, 0, {}};
    case State::head: {
      const bool between =
          std::is_same_v<Side, detail::RequestSide> ? only_empty_lines(input) : input.empty();
      if (between) {
        state_ = State::closed;
        return {ReadEvent::closed, 0, {}};
      }
      // RFC 9112 §8: the connection closed inside a head.
      return fail(Error::truncated, offset_ + input.size());
    }
    case State::bodiless:
      return end_message(0);
    case State::body: {
      if (body_.finish() != Error::none) {
        return fail(body_.error(), body_start_ + body_.error_offset());
      }
      // RFC 9112 §6.3 item 8: the close ends a close-delimited body.
      keep_alive_ = false;
      return end_message(0);
    }
  }
  return {ReadEvent::error, 0, {}};
}

template class MessageReader<detail::RequestSide>;
template class MessageReader<detail::ResponseSide>;

}  // namespace httpfsm
