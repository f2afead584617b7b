// Properties of the WebSocket library (RFC 6455 §5, §8.1): messages written by the frame
// writer, fragmented at random and interleaved with control frames, decode to the same
// messages in any split; any bytes decode to the same outcome in any split; the UTF-8
// validator agrees with a reference decoder written from RFC 3629 §3 (code points, shortest
// form, no surrogates, at most U+10FFFF) on random bytes, in any split.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "httpfsm/websocket_decoder.hpp"
#include "httpfsm/websocket_frame.hpp"
#include "httpfsm/websocket_utf8.hpp"
#include "testing/websocket_stream.hpp"

namespace httpfsm {
namespace {

std::vector<std::size_t> cuts_for(std::size_t size) {
  const auto seeds =
      *rc::gen::container<std::vector<std::size_t>>(rc::gen::inRange<std::size_t>(0, size + 1));
  std::vector<std::size_t> cuts;
  for (std::size_t s : seeds)
    if (s > 0 && s < size) cuts.push_back(s);
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  return cuts;
}

// RFC 3629 §3: UTF-8 of one code point.
std::string encode(std::uint32_t cp) {
  std::string s;
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xc0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xe0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    s += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    s += static_cast<char>(0xf0 | (cp >> 18));
    s += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    s += static_cast<char>(0x80 | (cp & 0x3f));
  }
  return s;
}

// Any value in the bit pattern of a `len`-byte sequence, whether UTF-8 allows it or not.
std::string encode_as(std::uint32_t cp, int len) {
  static constexpr unsigned kLead[] = {0, 0, 0xc0, 0xe0, 0xf0};
  std::string s;
  s += static_cast<char>(kLead[len] | (cp >> (6 * (len - 1))));
  for (int k = len - 2; k >= 0; --k) s += static_cast<char>(0x80 | ((cp >> (6 * k)) & 0x3f));
  return s;
}

rc::Gen<std::uint32_t> scalar_value() {
  // Unicode scalar values, weighted towards the edges of each encoding length.
  return rc::gen::suchThat(
      rc::gen::oneOf(rc::gen::inRange<std::uint32_t>(0, 0x80),
                     rc::gen::inRange<std::uint32_t>(0x80, 0x800),
                     rc::gen::inRange<std::uint32_t>(0x800, 0x10000),
                     rc::gen::inRange<std::uint32_t>(0x10000, 0x110000),
                     rc::gen::element<std::uint32_t>(0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000,
                                                     0xffff, 0x10000, 0x10ffff)),
      [](std::uint32_t cp) { return cp < 0xd800 || cp > 0xdfff; });
}

rc::Gen<std::string> valid_text() {
  return rc::gen::map(rc::gen::container<std::vector<std::uint32_t>>(scalar_value()),
                      [](const std::vector<std::uint32_t>& cps) {
                        std::string s;
                        for (std::uint32_t cp : cps) s += encode(cp);
                        return s;
                      });
}

// Bytes near UTF-8: valid characters, ASCII runs (for the vector skip) and arbitrary bytes.
rc::Gen<std::string> utf8ish_bytes() {
  return rc::gen::map(
      rc::gen::container<std::vector<std::string>>(rc::gen::oneOf(
          rc::gen::map(scalar_value(), encode),
          rc::gen::map(rc::gen::inRange<std::size_t>(1, 40),
                       [](std::size_t n) { return std::string(n, 'a'); }),
          rc::gen::map(rc::gen::arbitrary<unsigned char>(),
                       [](unsigned char c) { return std::string(1, static_cast<char>(c)); }),
          // What UTF-8 forbids: surrogates in 3 bytes, overlong forms, above U+10FFFF.
          rc::gen::map(rc::gen::inRange<std::uint32_t>(0xd800, 0xe000),
                       [](std::uint32_t cp) { return encode_as(cp, 3); }),
          rc::gen::map(rc::gen::inRange<std::uint32_t>(0, 0x800),
                       [](std::uint32_t cp) { return encode_as(cp, cp < 0x80 ? 2 : 3); }),
          rc::gen::map(rc::gen::inRange<std::uint32_t>(0, 0x10000),
                       [](std::uint32_t cp) { return encode_as(cp, 4); }),
          rc::gen::map(rc::gen::inRange<std::uint32_t>(0x110000, 0x200000),
                       [](std::uint32_t cp) { return encode_as(cp, 4); }))),
      [](const std::vector<std::string>& parts) {
        std::string s;
        for (const auto& p : parts) s += p;
        return s;
      });
}

// The reference: the offset of the first byte after which no completion is valid UTF-8, the
// size when the text ends inside a character, -1 when valid. Written from the code point
// ranges of RFC 3629 §3, not from the byte table of §4 that the Ragel machine follows: a
// prefix is viable while the code points it can still become meet the range its length
// encodes (shortest form) and avoid the surrogates.
long long reference_utf8(const std::string& s) {
  const auto n = s.size();
  std::size_t i = 0;
  while (i < n) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      ++i;
      continue;
    }
    int len = 0;
    std::uint32_t cp = 0;
    if ((b & 0xe0) == 0xc0) {
      len = 2, cp = b & 0x1fu;
    } else if ((b & 0xf0) == 0xe0) {
      len = 3, cp = b & 0x0fu;
    } else if ((b & 0xf8) == 0xf0) {
      len = 4, cp = b & 0x07u;
    } else {
      return static_cast<long long>(i);
    }
    const std::uint32_t least = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
    for (int k = 0; k < len; ++k) {
      const std::size_t at = i + static_cast<std::size_t>(k);
      if (k > 0) {
        if (at >= n) return static_cast<long long>(n);
        const auto c = static_cast<unsigned char>(s[at]);
        if ((c & 0xc0) != 0x80) return static_cast<long long>(at);
        cp = (cp << 6) | (c & 0x3fu);
      }
      const int rest = 6 * (len - 1 - k);
      const std::uint32_t lo = cp << rest;
      const std::uint32_t hi = lo | ((1u << rest) - 1);
      const bool below_surrogates = lo <= 0xd7ff && hi >= least;
      const bool above_surrogates = hi >= std::max<std::uint32_t>(least, 0xe000) && lo <= 0x10ffff;
      if (!below_surrogates && !above_surrogates) return static_cast<long long>(at);
    }
    i += static_cast<std::size_t>(len);
  }
  return -1;
}

long long validate(const std::string& s, const std::vector<std::size_t>& cuts) {
  Utf8Validator v;
  std::size_t from = 0;
  std::vector<std::size_t> ends = cuts;
  ends.push_back(s.size());
  for (std::size_t end : ends) {
    if (!v.feed({s.data() + from, end - from})) return static_cast<long long>(v.error_offset());
    from = end;
  }
  return v.finish() ? -1 : static_cast<long long>(v.error_offset());
}

RC_GTEST_PROP(Utf8Validator, equals_the_reference_decoder_on_random_bytes, ()) {
  const std::string s = *utf8ish_bytes();
  const long long expected = reference_utf8(s);
  RC_ASSERT(validate(s, {}) == expected);
  RC_ASSERT(validate(s, cuts_for(s.size())) == expected);
}

RC_GTEST_PROP(Utf8Validator, accepts_every_encoded_text, ()) {
  const std::string s = *valid_text();
  RC_ASSERT(validate(s, cuts_for(s.size())) == -1);
}

// A model of what a peer sends: data messages (fragmented) and control frames between them
// or between their fragments.
struct Sent {
  std::string bytes;
  std::vector<std::pair<std::string, std::string>> expected;  // (opcode name, payload)
};

Sent generate_stream(Role reader) {
  Sent out;
  const bool masked = reader == Role::server;  // §5.1: only a client masks
  const auto frame = [&](Opcode op, bool fin, std::string_view payload) {
    FrameFields f;
    f.opcode = op;
    f.fin = fin;
    f.masked = masked;
    f.key = *rc::gen::arbitrary<MaskKey>();
    std::string buf(frame_header_size(payload.size(), masked) + payload.size(), '\0');
    buf.resize(
        write_frame(std::span<char>(buf.data(), buf.size()), f, {payload.data(), payload.size()}));
    out.bytes += buf;
  };
  const auto control = [&] {
    const Opcode op = *rc::gen::element(Opcode::ping, Opcode::pong);
    const std::string payload = *rc::gen::resize(
        125, rc::gen::container<std::string>(*rc::gen::inRange<std::size_t>(0, 126),
                                             rc::gen::arbitrary<char>()));
    frame(op, true, payload);
    out.expected.emplace_back(std::string(opcode_name(op)), payload);
  };
  const std::size_t items = *rc::gen::inRange<std::size_t>(0, 6);
  for (std::size_t i = 0; i < items; ++i) {
    if (*rc::gen::inRange(0, 4) == 0) {
      control();
      continue;
    }
    const bool text = *rc::gen::arbitrary<bool>();
    const std::string payload = text ? *valid_text() : *rc::gen::arbitrary<std::string>();
    // Fragments cut anywhere, even inside a UTF-8 character (§5.4 allows it; §8.1 validates
    // the message, not each frame), and empty fragments.
    std::vector<std::size_t> cuts = *rc::gen::container<std::vector<std::size_t>>(
        rc::gen::inRange<std::size_t>(0, payload.size() + 1));
    std::sort(cuts.begin(), cuts.end());
    cuts.push_back(payload.size());
    std::size_t from = 0;
    for (std::size_t k = 0; k < cuts.size(); ++k) {
      const bool last = k + 1 == cuts.size();
      frame(k == 0 ? (text ? Opcode::text : Opcode::binary) : Opcode::continuation, last,
            std::string_view(payload).substr(from, cuts[k] - from));
      from = cuts[k];
      if (!last && *rc::gen::inRange(0, 3) == 0)
        control();  // §5.4: control frames between fragments
    }
    out.expected.emplace_back(text ? "text" : "binary", payload);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> decode_all(std::string bytes, Role role) {
  FrameDecoderOptions o;
  o.role = role;
  o.max_message = 1u << 30;
  FrameDecoder d(o);
  std::vector<std::pair<std::string, std::string>> got;
  std::string message;
  std::span<char> rest(bytes.data(), bytes.size());
  for (;;) {
    const FrameStep s = d.decode(rest);
    RC_ASSERT(s.consumed <= rest.size());
    rest = rest.subspan(s.consumed);
    if (s.event == FrameEvent::failed) {
      got.emplace_back("error", ws_error_name(d.error()));
      break;
    }
    if (s.event == FrameEvent::need_more) break;
    if (s.event == FrameEvent::data) {
      message.append(s.data.data(), s.data.size());
      if (s.message_end) {
        got.emplace_back(std::string(opcode_name(s.opcode)), message);
        message.clear();
      }
    } else {
      got.emplace_back(std::string(opcode_name(s.opcode)),
                       std::string(s.data.data(), s.data.size()));
    }
  }
  RC_ASSERT(rest.empty());
  return got;
}

RC_GTEST_PROP(FrameDecoder, writer_then_decoder_gives_back_the_messages, ()) {
  const Role role = *rc::gen::element(Role::server, Role::client);
  const Sent sent = generate_stream(role);
  RC_ASSERT(decode_all(sent.bytes, role) == sent.expected);
}

RC_GTEST_PROP(FrameDecoder, any_split_of_a_valid_stream_gives_the_same_outcome, ()) {
  const Role role = *rc::gen::element(Role::server, Role::client);
  const Sent sent = generate_stream(role);
  FrameDecoderOptions o;
  o.role = role;
  const auto whole = testing::ws_decode_in_pieces(sent.bytes, {}, o);
  RC_ASSERT(whole.error == WsError::none);
  const bool in_place = *rc::gen::arbitrary<bool>();
  RC_ASSERT(testing::ws_decode_in_pieces(sent.bytes, cuts_for(sent.bytes.size()), o, in_place) ==
            whole);
}

RC_GTEST_PROP(FrameDecoder, any_split_of_any_bytes_gives_the_same_outcome, ()) {
  // Random bytes, and valid frames with random bytes spliced in, so both ends are reached.
  const Role role = *rc::gen::element(Role::server, Role::client);
  std::string bytes = generate_stream(role).bytes;
  const std::string noise = *rc::gen::arbitrary<std::string>();
  const std::size_t at = *rc::gen::inRange<std::size_t>(0, bytes.size() + 1);
  bytes.insert(at, noise);
  FrameDecoderOptions o;
  o.role = role;
  o.permessage_deflate = *rc::gen::arbitrary<bool>();
  o.max_message = *rc::gen::element<std::uint64_t>(0, 16, 1u << 20);
  const auto whole = testing::ws_decode_in_pieces(bytes, {}, o);
  RC_ASSERT(whole.consumed <= bytes.size());
  RC_ASSERT(testing::ws_decode_in_pieces(bytes, cuts_for(bytes.size()), o,
                                         *rc::gen::arbitrary<bool>()) == whole);
}

}  // namespace
}  // namespace httpfsm
