// BodyDecoder outside the generated chunked machine: Content-Length bodies, the hand-off of
// chunk-data around the machine, the trailer section kept unconsumed until whole, and the
// naming of chunked syntax errors.
#include "httpfsm/body_decoder.hpp"

#include <algorithm>
#include <limits>

#include "body_decoder_actions.hpp"
#include "char_class.hpp"
#include "machines.hpp"

namespace httpfsm {

namespace {
Limits sanitize(Limits l) noexcept {
  l.max_fields = std::clamp<std::uint32_t>(l.max_fields, kMinimumLimits.max_fields, 0xfffe);
  l.max_field_line = std::max(l.max_field_line, kMinimumLimits.max_field_line);
  l.max_trailer = std::clamp<std::uint32_t>(l.max_trailer, kMinimumLimits.max_trailer, 0x7fffffff);
  return l;
}
}  // namespace

BodyDecoder::BodyDecoder(const Limits& limits)
    : limits_(sanitize(limits)), trailers_(new Field[limits_.max_fields]) {
  start(Framing::no_body);
}

BodyDecoder::BodyDecoder(const RequestHead& head, const Limits& limits) : BodyDecoder(limits) {
  start(head);
}

BodyDecoder::~BodyDecoder() = default;

void BodyDecoder::start(const RequestHead& head) noexcept {
  start(head.framing, head.content_length);
}

void BodyDecoder::start(const ResponseHead& head) noexcept {
  start(head.leaves_http ? Framing::no_body : head.framing, head.content_length);
}

void BodyDecoder::start(Framing framing, std::uint64_t content_length) noexcept {
  framing_ = framing;
  progress_ = Progress::need_more;
  error_ = Error::none;
  error_offset_ = 0;
  remaining_ = framing == Framing::content_length ? content_length : 0;
  content_bytes_ = 0;
  body_bytes_ = 0;
  trailer_count_ = 0;
  cs_ = detail::chunked_machine_start();
  in_data_ = false;
  name_done_ = false;
  last_byte_ = 0;
  begin_chunk_header();
  base_ = trailer_scanned_ = line_start_ = name_start_ = name_end_ = value_start_ = 0;
  limit_end_ = std::numeric_limits<std::size_t>::max();
  limit_offset_ = 0;
  limit_error_ = Error::none;
  if (framing == Framing::content_length && content_length > limits_.max_body) {
    fail(Error::body_too_large, 0);
  } else if (framing == Framing::no_body ||
             (framing == Framing::content_length && remaining_ == 0)) {
    progress_ = Progress::complete;
  }
}

// RFC 9112 §7.1: most chunk boundaries are `CRLF chunk-size CRLF` (the end of one chunk-data,
// the next chunk's header without extensions), and most bodies end in `CRLF 0 CRLF CRLF`. When
// the input holds all of it, it is read here, without entering the machine, and the state
// becomes what the machine would leave. Anything else (an extension, bytes still to come, a
// size over the body limit, trailers, an error) is left to the machine: nothing is stored and
// nullptr returned, so the fast path changes speed, never the outcome; the split properties
// and the body_decoder fuzzer feed every boundary both ways.
inline const char* BodyDecoder::fast_chunk_boundary(const char* p, const char* end,
                                                    std::uint64_t& chunk_size) noexcept {
  if (cs_ == detail::kChunkDataEndState) {
    if (end - p < 2 || p[0] != '\r' || p[1] != '\n') return nullptr;
    p += 2;
  } else if (cs_ != detail::kChunkHeaderState) {
    return nullptr;
  }
  // chunk-size: at most 16 digits, which cannot overflow 64 bits (longer numerals, which the
  // loop lets wrap, go to the machine).
  const char* q = p;
  std::uint64_t size = 0;
  for (std::uint8_t digit = 0;
       q != end && (digit = detail::kHexValue[static_cast<unsigned char>(*q)]) != detail::kNotHex;
       ++q) {
    size = (size << 4) | digit;
  }
  if (q == p || q - p > 16 || end - q < 2 || q[0] != '\r' || q[1] != '\n' ||
      size > limits_.max_body - std::min(limits_.max_body, content_bytes_)) {
    return nullptr;
  }
  if (size == 0) {
    // last-chunk and an empty trailer section, which no limit can refuse: max_trailer >= 2
    // and max_field_line >= 4 (kMinimumLimits).
    if (end - q < 4 || q[2] != '\r' || q[3] != '\n') return nullptr;
    section_ = Section::trailers;
    progress_ = Progress::complete;
    return q + 4;
  }
  // What the machine's end_chunk_header does for a chunk with data, except that the caller
  // hands the data out (chunk_size_ and ext_bytes_ are read only inside a chunk header, which
  // begin_chunk_header starts afresh).
  section_ = Section::data_end;
  cs_ = detail::kChunkDataEndState;
  chunk_size = size;
  return q + 2;
}

// chunk-data is handed out as a slice of the input: no copy, no machine. Needs p < end.
[[gnu::always_inline]] inline BodyStep BodyDecoder::hand_out_data(const char* data, const char* p,
                                                                  const char* end) noexcept {
  const auto n = static_cast<std::size_t>(
      std::min<std::uint64_t>(remaining_, static_cast<std::uint64_t>(end - p)));
  remaining_ -= n;
  content_bytes_ += n;
  if (remaining_ == 0) in_data_ = false;  // the machine waits in chunk_data_end
  const auto consumed = static_cast<std::size_t>(p + n - data);
  last_byte_ = p[n - 1];
  body_bytes_ += consumed;
  return {Progress::need_more, consumed, {p, n}};
}

// The common case in one pass: at most one chunk boundary read by fast_chunk_boundary, then
// a slice of chunk-data, its size kept in a register rather than stored and read back. The
// rest goes to decode_chunked_machine.
[[gnu::always_inline]] inline BodyStep BodyDecoder::decode_chunked(
    std::span<const char> input) noexcept {
  const char* const data = input.data();
  const char* const end = data + input.size();
  if (in_data_) {
    if (data == end) return decode_chunked_machine(data, data, end);
    return hand_out_data(data, data, end);
  }
  std::uint64_t size = 0;
  const char* const p = fast_chunk_boundary(data, end, size);
  if (p == nullptr) return decode_chunked_machine(data, data, end);
  const auto consumed_head = static_cast<std::size_t>(p - data);
  if (progress_ == Progress::complete) {
    body_bytes_ += consumed_head;
    return {Progress::complete, consumed_head, {}};
  }
  const auto n =
      static_cast<std::size_t>(std::min<std::uint64_t>(size, static_cast<std::uint64_t>(end - p)));
  if (n != size) {
    remaining_ = size - n;
    in_data_ = true;
  }
  const std::size_t consumed = consumed_head + n;
  last_byte_ = data[consumed - 1];
  content_bytes_ += n;
  body_bytes_ += consumed;
  return {Progress::need_more, consumed, {p, n}};
}

BodyStep BodyDecoder::decode(std::span<const char> input) noexcept {
  if (progress_ != Progress::need_more) return {progress_, 0, {}};
  if (framing_ == Framing::chunked) return decode_chunked(input);
  if (framing_ == Framing::until_close) [[unlikely]]
    return decode_until_close(input);
  // RFC 9112 §6.3 item 6: exactly Content-Length octets; what follows is the next message.
  const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, input.size()));
  remaining_ -= n;
  content_bytes_ += n;
  body_bytes_ += n;
  if (remaining_ == 0) progress_ = Progress::complete;
  return {progress_, n, input.first(n)};
}

// Out of line: inlined into decode(), it made every chunked and Content-Length call save more
// registers (measured with callgrind on the bench's chunked corpus).
[[gnu::noinline]] BodyStep BodyDecoder::decode_until_close(std::span<const char> input) noexcept {
  // RFC 9112 §6.3 item 8: every byte is content until the server closes the connection. Up to
  // max_body bytes are handed out; the first byte past it fails, wherever the input is split.
  const std::uint64_t room = limits_.max_body - content_bytes_;
  if (room == 0 && !input.empty()) {
    fail(Error::body_too_large, body_bytes_);
    return {progress_, 0, {}};
  }
  const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(room, input.size()));
  content_bytes_ += n;
  body_bytes_ += n;
  return {progress_, n, input.first(n)};
}

// Out of line, so that the common case above saves no registers for it.
[[gnu::noinline]] BodyStep BodyDecoder::decode_chunked_machine(const char* data, const char* p,
                                                               const char* end) noexcept {
  if (section_ == Section::trailers) {
    // The trailer section was left unconsumed, so this input starts at its first byte.
    base_ = 0;
    p = data + trailer_scanned_;
    set_trailer_limit();
  }
  for (;;) {
    if (in_data_) {
      if (p == end) break;
      return hand_out_data(data, p, end);
    }
    if (p == end) break;
    p = run_chunked(data, p, end);
    if (error_ != Error::none) return {Progress::failed, 0, {}};
    if (progress_ == Progress::complete) {
      const auto consumed = static_cast<std::size_t>(p - data);
      body_bytes_ += consumed;
      return {Progress::complete, consumed, {}};
    }
    if (!in_data_) {
      // In the trailer section the machine may stop at a limit rather than at the end.
      if (section_ == Section::trailers && static_cast<std::size_t>(p - data) == limit_end_) {
        fail(limit_error_, body_bytes_ + base_ + limit_offset_);
        return {Progress::failed, 0, {}};
      }
      break;
    }
  }
  std::size_t consumed = static_cast<std::size_t>(p - data);
  if (section_ == Section::trailers) {
    trailer_scanned_ = static_cast<std::uint32_t>(consumed) - base_;
    consumed = base_;
  }
  if (consumed > 0) last_byte_ = data[consumed - 1];
  body_bytes_ += consumed;
  return {Progress::need_more, consumed, {}};
}

Error BodyDecoder::finish() noexcept {
  if (progress_ == Progress::need_more && framing_ == Framing::until_close) {
    progress_ = Progress::complete;  // the close is the body's end
  }
  if (progress_ == Progress::need_more) fail(Error::truncated, body_bytes_);
  return error_;
}

void BodyDecoder::fail(Error e, std::uint64_t at) noexcept {
  error_ = e;
  error_offset_ = at;
  progress_ = Progress::failed;
}

void BodyDecoder::set_trailer_limit() noexcept {
  const std::uint64_t line_end = std::uint64_t{line_start_} + limits_.max_field_line;
  if (line_end < limits_.max_trailer) {
    limit_offset_ = line_end;
    limit_error_ = Error::field_too_long;
  } else {
    limit_offset_ = limits_.max_trailer;
    limit_error_ = Error::trailer_too_large;
  }
  limit_end_ = base_ + static_cast<std::size_t>(limit_offset_);
}

void BodyDecoder::start_trailer_name(const char* data, const char* p) noexcept {
  if (trailer_count_ == limits_.max_fields)
    return fail(Error::too_many_fields, body_offset(data, p));
  name_start_ = trailer_offset(data, p);
  name_done_ = false;
}

void BodyDecoder::end_trailer_name(const char* data, const char* p) noexcept {
  name_end_ = trailer_offset(data, p);
  name_done_ = true;
  value_start_ = name_end_ + 1;
}

void BodyDecoder::end_trailer_line(const char* data, const char* p) noexcept {
  const char* t = data + base_;  // the trailer section's first byte
  std::uint32_t value_end = trailer_offset(data, p) - 1;
  while (value_end > value_start_ && (t[value_end - 1] == ' ' || t[value_end - 1] == '\t')) {
    --value_end;
  }
  trailers_[trailer_count_++] =
      Field{{name_start_, name_end_ - name_start_}, {value_start_, value_end - value_start_}};
  name_done_ = false;
  line_start_ = trailer_offset(data, p) + 1;
  set_trailer_limit();
}

void BodyDecoder::end_trailers(const char*, const char*) noexcept {
  // Trailer spans were kept relative to the section's start; make them index this input.
  for (std::size_t i = 0; i < trailer_count_; ++i) {
    trailers_[i].name.offset += base_;
    trailers_[i].value.offset += base_;
  }
  progress_ = Progress::complete;
}

void BodyDecoder::on_chunk_syntax_error(const char* data, const char* p) noexcept {
  const std::uint64_t at = body_offset(data, p);
  const auto c = static_cast<unsigned char>(*p);
  const char prev = p > data ? p[-1] : last_byte_;
  // After chunk-data any failure is a missing CRLF, whatever the data's last byte was.
  if (section_ == Section::data_end) return fail(Error::bad_chunk_end, at);
  if (prev == '\r') return fail(Error::bare_cr, at - 1);
  if (c == '\n') return fail(Error::bare_lf, at);
  switch (section_) {
    case Section::size:
      return fail(Error::bad_chunk_size, at);
    case Section::ext:
      return fail(Error::bad_chunk_ext, at);
    case Section::data_end:
      return fail(Error::bad_chunk_end, at);
    case Section::trailers:
      return fail(name_done_ ? Error::bad_field_value : Error::bad_field_name, at);
  }
}

}  // namespace httpfsm
