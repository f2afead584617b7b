#include "testing/websocket_stream.hpp"

#include <memory>

namespace httpfsm::testing {

namespace {

std::string escape_bytes(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f && c != '\\' && c != ' ') {
      out += c;
    } else {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

// Long payloads are named by size and their one repeated byte ("[256*Z]") or an FNV-1a
// hash, so a table stays readable.
std::string show_payload(std::string_view s) {
  if (s.size() <= 40) return escape_bytes(s);
  if (s.find_first_not_of(s[0]) == std::string_view::npos)
    return "[" + std::to_string(s.size()) + "*" + escape_bytes(s.substr(0, 1)) + "]";
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
  return "[" + std::to_string(s.size()) + "#" + std::to_string(h % 100000) + "]";
}

}  // namespace

std::string ws_header(std::uint8_t b0, std::uint64_t length, bool masked, int length_bytes,
                      MaskKey key) {
  if (length_bytes < 0) length_bytes = length < 126 ? 0 : length <= 0xffff ? 2 : 8;
  std::string f;
  f += static_cast<char>(b0);
  const unsigned m = masked ? 0x80u : 0u;
  if (length_bytes == 0) {
    f += static_cast<char>(m | static_cast<unsigned>(length));
  } else if (length_bytes == 2) {
    f += static_cast<char>(m | 126u);
    f += static_cast<char>((length >> 8) & 0xff);
    f += static_cast<char>(length & 0xff);
  } else {
    f += static_cast<char>(m | 127u);
    for (int i = 7; i >= 0; --i) f += static_cast<char>((length >> (8 * i)) & 0xff);
  }
  if (masked) f.append(reinterpret_cast<const char*>(key.data()), 4);
  return f;
}

std::string ws_frame(std::uint8_t b0, std::string_view payload, bool masked, MaskKey key,
                     int length_bytes) {
  std::string f = ws_header(b0, payload.size(), masked, length_bytes, key);
  for (std::size_t i = 0; i < payload.size(); ++i)
    f += static_cast<char>(static_cast<unsigned char>(payload[i]) ^ (masked ? key[i % 4] : 0));
  return f;
}

std::string describe(const WsOutcome& o) {
  std::string s = o.events.empty() ? "" : o.events + " | ";
  if (o.error != WsError::none)
    return s + "error " + std::string(ws_error_name(o.error)) + " @" +
           std::to_string(o.error_offset);
  return s + (o.mid_message ? "need_more mid" : "need_more") +
         " consumed=" + std::to_string(o.consumed);
}

void PrintTo(const WsOutcome& o, std::ostream* os) { *os << describe(o); }

WsOutcome ws_decode_in_pieces(std::string_view bytes, const std::vector<std::size_t>& cuts,
                              const FrameDecoderOptions& options, bool in_place) {
  FrameDecoder d(options);
  WsOutcome o;
  std::string pending;  // unconsumed bytes, as a server's input buffer keeps them
  std::string message;  // pieces of the current data message
  std::size_t from = 0;
  std::vector<std::size_t> ends = cuts;
  ends.push_back(bytes.size());
  for (std::size_t end : ends) {
    if (end < from) continue;
    pending.append(bytes.substr(from, end - from));
    from = end;
    for (;;) {
      // A fresh allocation of exactly the pending bytes: over-reads fault under ASan.
      const std::size_t n = pending.size();
      std::unique_ptr<char[]> buf(new char[n == 0 ? 1 : n]);
      std::unique_ptr<char[]> out(new char[n == 0 ? 1 : n]);
      if (n != 0) pending.copy(buf.get(), n);
      const FrameStep s = in_place ? d.decode(std::span<char>(buf.get(), n))
                                   : d.decode(std::span<const char>(buf.get(), n), out.get());
      o.consumed += s.consumed;
      if (s.event == FrameEvent::failed) {
        o.error = d.error();
        o.error_offset = d.error_offset();
        o.consumed = d.error_offset();
        return o;
      }
      std::string_view data(s.data.data(), s.data.size());
      if (s.event == FrameEvent::data) {
        message.append(data);
        if (s.message_end) {
          if (!o.events.empty()) o.events += ' ';
          o.events += std::string(opcode_name(s.opcode)) + (s.compressed ? "(z)" : "") + ":" +
                      show_payload(message);
          message.clear();
        }
      } else if (s.event == FrameEvent::control) {
        if (!o.events.empty()) o.events += ' ';
        o.events += std::string(opcode_name(s.opcode)) + ":";
        if (s.opcode == Opcode::close) {
          o.events += std::to_string(s.close.code) + ":" + escape_bytes(s.close.reason);
        } else {
          o.events += show_payload(data);
        }
      }
      pending.erase(0, s.consumed);
      if (s.event == FrameEvent::need_more) {
        // need_more promises every byte was taken (a header cut by a read is kept inside).
        if (!pending.empty()) o.events += " !need_more_left_bytes";
        break;
      }
    }
  }
  o.mid_message = d.mid_message();
  return o;
}

}  // namespace httpfsm::testing
