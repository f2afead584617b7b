// The /ws/echo session (RFC 6455 §5-§7, RFC 7692 §7.2) and the handshake answer (§4.2.2).
#include "websocket_session.hpp"

#include <openssl/sha.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "httpfsm/websocket_close.hpp"
#include "httpfsm/websocket_frame.hpp"
#include "httpfsm/websocket_utf8.hpp"

namespace httpfsm::server {

WebSocketAnswer answer_websocket_handshake(std::span<const char> message, const RequestHead& head,
                                           const WebSocketConfig& config) {
  WebSocketAnswer a;
  const UpgradeCheck check = check_upgrade(message, head);
  a.result = check.result;
  if (check.result != Handshake::ok) {
    a.status = handshake_status(check.result);
    if (check.result == Handshake::unsupported_version) a.extra_field = "Sec-WebSocket-Version: 13";
    return a;
  }
  // §4.2.2 item 5.4: base64 of the SHA-1 of the key and the GUID. The hash is libcrypto's.
  const std::array<char, 60> input = accept_hash_input(check.key);
  std::array<std::uint8_t, SHA_DIGEST_LENGTH> digest{};
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest.data());
  a.accept = encode_accept(digest);
  a.deflate = negotiate_deflate(message, head, config.deflate);
  if (!config.subprotocols.empty()) {
    const std::vector<std::string_view> supported(config.subprotocols.begin(),
                                                  config.subprotocols.end());
    a.subprotocol = std::string(select_subprotocol(message, head, supported));
  }
  if (a.deflate.accepted) a.extensions = a.deflate.response_value();
  return a;
}

std::string WebSocketAnswer::head() const {
  if (status != 101) return {};
  std::string out =
      "HTTP/1.1 101 Switching Protocols\r\n"
      "Upgrade: websocket\r\n"
      "Connection: Upgrade\r\n";
  each_field([&](std::string_view name, std::string_view value) {
    out.append(name).append(": ").append(value).append("\r\n");
  });
  return out += "\r\n";
}

// zlib for permessage-deflate (RFC 7692 §7.2): raw DEFLATE streams, one per direction.
struct WebSocketSession::Zlib {
  z_stream inflater{};
  z_stream deflater{};
  bool inflate_ready = false;
  bool deflate_ready = false;
  std::string inflated;
  std::string deflated;
  std::string window;  // the inflater's window across a BFINAL block; sized on first use

  Zlib(const DeflateParams& p, int level) {
    // The client's window is at most 15 bits; inflating with 15 accepts every smaller one.
    inflate_ready = inflateInit2(&inflater, -15) == Z_OK;
    // The server's window as agreed; negotiate_deflate() never agrees below 9, the least zlib
    // can deflate with.
    deflate_ready =
        deflateInit2(&deflater, level, Z_DEFLATED, -static_cast<int>(p.server_max_window_bits), 8,
                     Z_DEFAULT_STRATEGY) == Z_OK;
  }
  Zlib(const Zlib&) = delete;
  Zlib& operator=(const Zlib&) = delete;
  ~Zlib() {
    if (inflate_ready) inflateEnd(&inflater);
    if (deflate_ready) deflateEnd(&deflater);
  }

  static constexpr int kMaxFinalBlocks = 16;  // per message; see inflate_message()

  // §7.2.2: append 00 00 ff ff to the payload and inflate. Returns 0, or the close code.
  std::uint16_t inflate_message(std::string_view payload, std::uint64_t max, bool reset_after) {
    static constexpr char kTail[4] = {0, 0, '\xff', '\xff'};
    inflated.clear();
    if (!inflate_ready) return 1011;
    int final_blocks = 0;
    for (const std::string_view part : {payload, std::string_view(kTail, 4)}) {
      inflater.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(part.data()));
      inflater.avail_in = static_cast<uInt>(part.size());
      // Until the input is used up and zlib had room to spare (so nothing is left pending).
      do {
        const std::size_t have = inflated.size();
        inflated.resize(have + std::max<std::size_t>(16 * 1024, part.size() * 2));
        inflater.next_out = reinterpret_cast<Bytef*>(inflated.data() + have);
        inflater.avail_out = static_cast<uInt>(inflated.size() - have);
        const int r = inflate(&inflater, Z_SYNC_FLUSH);
        inflated.resize(inflated.size() - inflater.avail_out);
        if (inflated.size() > max) return 1009;
        if (r == Z_STREAM_END) {
          // Each restart copies the window twice (up to 32 KiB each way), so a message of
          // empty final blocks, two bytes each, would buy 32 KiB of copying per two bytes.
          // No sender needs more than a few; past kMaxFinalBlocks it is a policy close.
          if (++final_blocks > kMaxFinalBlocks) return 1008;
          // A block with BFINAL set ends zlib's stream, not the message: §7.2.1 "The next
          // DEFLATE block follows the padded data if any" (§7.2.3.4). Go on with the rest of
          // the input in a new stream on the same window, which §7.2.2 also requires for the
          // next message unless client_no_context_takeover was agreed.
          window.resize(std::size_t{1} << 15);
          Bytef* const bytes = reinterpret_cast<Bytef*>(window.data());
          uInt kept = 0;
          inflateGetDictionary(&inflater, bytes, &kept);
          inflateReset(&inflater);
          inflateSetDictionary(&inflater, bytes, kept);
          continue;
        }
        if (r != Z_OK && r != Z_BUF_ERROR) return 1007;
        // Z_BUF_ERROR with input and room left means no progress is possible.
        if (r == Z_BUF_ERROR && inflater.avail_in != 0 && inflater.avail_out != 0) return 1007;
      } while (inflater.avail_in > 0 || inflater.avail_out == 0);
    }
    // §7.2.2: the payload plus 00 00 ff ff ends on a block boundary (zlib sets bit 128 of
    // data_type there). Anything else, such as an empty payload after a message, leaves the
    // inflater inside a block, and the next message would be read as its continuation.
    if ((inflater.data_type & 128) == 0) return 1007;
    // §7.1.1.2: with client_no_context_takeover the client starts each message afresh.
    if (reset_after) inflateReset(&inflater);
    return 0;
  }

  // §7.2.1: deflate with a sync flush and drop the trailing 00 00 ff ff. Empty on failure.
  std::string_view deflate_message(std::string_view data, bool reset_after) {
    if (!deflate_ready) return {};
    deflated.resize(deflateBound(&deflater, static_cast<uLong>(data.size())) + 16);
    deflater.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    deflater.avail_in = static_cast<uInt>(data.size());
    std::size_t used = 0;
    for (;;) {
      deflater.next_out = reinterpret_cast<Bytef*>(deflated.data() + used);
      deflater.avail_out = static_cast<uInt>(deflated.size() - used);
      if (deflate(&deflater, Z_SYNC_FLUSH) == Z_STREAM_ERROR) return {};
      used = deflated.size() - deflater.avail_out;
      if (deflater.avail_out != 0) break;
      deflated.resize(deflated.size() * 2);
    }
    if (used >= 4) {
      used -= 4;  // the sync flush's empty stored block: 00 00 ff ff
    } else {
      // Nothing was pending (an empty message right after a flush): zlib wrote nothing, but
      // the peer appends 00 00 ff ff and must find a block boundary before it. §7.2.3.6: an
      // empty message is the single byte 0x00 (an empty stored block's header, padded).
      deflated[0] = '\0';
      used = 1;
    }
    // §7.1.1.1: with server_no_context_takeover each message starts afresh.
    if (reset_after) deflateReset(&deflater);
    return {deflated.data(), used};
  }
};

namespace {

FrameDecoderOptions decoder_options(const WebSocketConfig& config,
                                    const DeflateAgreement& deflate) {
  FrameDecoderOptions o;
  o.role = Role::server;
  o.max_message = config.max_message;
  o.permessage_deflate = deflate.accepted;
  return o;
}

}  // namespace

WebSocketSession::WebSocketSession(const WebSocketConfig& config, const DeflateAgreement& deflate,
                                   const WebSocketHandlers* handlers, std::string_view subprotocol)
    : max_message_(config.max_message),
      deflate_(deflate),
      handlers_(handlers),
      decoder_(decoder_options(config, deflate)),
      subprotocol_(subprotocol) {
  if (deflate.accepted) zlib_ = std::make_unique<Zlib>(deflate.params, 6);
}

WebSocketSession::~WebSocketSession() = default;

std::span<char> WebSocketSession::input_space(std::size_t want) {
  if (in_.size() < in_end_ + want) in_.resize(in_end_ + want);
  return {in_.data() + in_end_, in_.size() - in_end_};
}

void WebSocketSession::on_received(std::size_t n) {
  in_end_ += n;
  process();
  report_close();
}

void WebSocketSession::open(const Request& request) {
  if (handlers_ == nullptr || !handlers_->on_open || done_) return;
  try {
    handlers_->on_open(*this, request);
  } catch (...) {
    fail(static_cast<std::uint16_t>(CloseCode::internal_error), "handler failed");
  }
  report_close();
}

void WebSocketSession::send_text(std::string_view text) {
  if (!close_sent_) send_message(Opcode::text, text);
}

void WebSocketSession::send_binary(std::string_view data) {
  if (!close_sent_) send_message(Opcode::binary, data);
}

void WebSocketSession::close(std::uint16_t code, std::string_view reason) {
  // §7.1.2: the server starts the close handshake; it closes the TCP connection first
  // (§7.1.1), once the Close is sent. An application's code that may not appear on the wire
  // (§7.4.1: 1005, 1006, 999...) is its bug: the peer is told 1011 instead. The reason must
  // be UTF-8 (§5.5.1) and fit the control frame: cut at a character boundary, or dropped.
  if (!close_code_valid_on_wire(code)) code = static_cast<std::uint16_t>(CloseCode::internal_error);
  if (reason.size() > kMaxControlPayload - 2) {
    std::size_t n = kMaxControlPayload - 2;
    while (n > 0 && (static_cast<unsigned char>(reason[n]) & 0xC0) == 0x80) --n;
    reason = reason.substr(0, n);
  }
  if (!is_valid_utf8({reason.data(), reason.size()})) reason = {};
  fail(code, reason);
  report_close();
}

void WebSocketSession::report_close() {
  if (!done_ || close_reported_) return;
  close_reported_ = true;
  if (handlers_ == nullptr || !handlers_->on_close) return;
  try {
    handlers_->on_close(close_code_);
  } catch (...) {  // the session is over already; nothing left to tell the peer
  }
}

void WebSocketSession::on_bytes(std::string_view bytes) {
  const std::span<char> room = input_space(bytes.size());
  if (!bytes.empty()) std::memcpy(room.data(), bytes.data(), bytes.size());
  on_received(bytes.size());
}

void WebSocketSession::consume_output(std::size_t n) noexcept {
  out_sent_ = std::min(out_sent_ + n, out_.size());
  if (out_sent_ == out_.size()) {
    out_.clear();  // keeps the capacity
    out_sent_ = 0;
  }
}

void WebSocketSession::process() {
  std::size_t pos = 0;
  while (!done_) {
    // Payload is unmasked in place: data slices point into in_, which stays put until the
    // loop ends.
    const FrameStep s = decoder_.decode(std::span<char>(in_.data() + pos, in_end_ - pos));
    pos += s.consumed;
    if (s.event == FrameEvent::need_more) break;
    if (s.event == FrameEvent::failed) {
      // §7.1.7: fail the connection with the error's close code (1002, 1007 or 1009).
      fail(ws_error_close_code(decoder_.error()), ws_error_message(decoder_.error()));
      break;
    }
    const std::string_view data(s.data.data(), s.data.size());
    if (s.event == FrameEvent::data) {
      if (s.message_end && message_.empty()) {
        on_message(s.opcode, s.compressed, data);  // one frame: echoed straight from the input
      } else {
        message_.append(data);
        if (s.message_end) {
          on_message(s.opcode, s.compressed, message_);
          message_.clear();
        }
      }
      continue;
    }
    switch (s.opcode) {
      case Opcode::ping:
        // §5.5.2: "Upon receipt of a Ping frame, an endpoint MUST send a Pong frame in
        // response", with the same Application data (§5.5.3).
        if (!close_sent_) send_frame(Opcode::pong, false, data);
        break;
      case Opcode::pong:
        ping_outstanding_ = false;
        break;
      default: {  // close (§5.5.1): answer with a Close echoing the code, then end
        close_code_ = s.close.code;
        if (!close_sent_) {
          std::array<char, 2> payload{};
          const std::size_t n = write_close_payload(payload, s.close.code, {});
          send_frame(Opcode::close, false, {payload.data(), n});
          close_sent_ = true;
        }
        done_ = true;
        break;
      }
    }
  }
  // Keep only what the decoder has not consumed (nothing, unless the session ended).
  if (pos > 0) {
    std::memmove(in_.data(), in_.data() + pos, in_end_ - pos);
    in_end_ -= pos;
  }
}

void WebSocketSession::on_message(Opcode opcode, bool compressed, std::string_view payload) {
  std::string_view data = payload;
  if (compressed) {
    const std::uint16_t code =
        zlib_->inflate_message(payload, max_message_, deflate_.params.client_no_context_takeover);
    if (code != 0) {
      fail(code, code == 1009   ? "message larger than the limit"
                 : code == 1008 ? "too many final DEFLATE blocks"
                                : "bad compressed data");
      return;
    }
    data = zlib_->inflated;
    // RFC 6455 §8.1 applies to the text, so after inflating (the decoder skipped it).
    if (opcode == Opcode::text && !is_valid_utf8({data.data(), data.size()})) {
      fail(static_cast<std::uint16_t>(CloseCode::invalid_payload),
           ws_error_message(WsError::invalid_utf8));
      return;
    }
  }
  if (handlers_ == nullptr) {
    send_message(opcode, data);  // the echo
    return;
  }
  if (!handlers_->on_message) return;
  try {
    handlers_->on_message(*this, data, opcode == Opcode::binary);
  } catch (...) {
    fail(static_cast<std::uint16_t>(CloseCode::internal_error), "handler failed");
  }
}

void WebSocketSession::send_message(Opcode opcode, std::string_view data) {
  if (zlib_) {
    const std::string_view deflated =
        zlib_->deflate_message(data, deflate_.params.server_no_context_takeover);
    send_frame(opcode, true, deflated);
  } else {
    send_frame(opcode, false, data);
  }
}

void WebSocketSession::send_frame(Opcode opcode, bool rsv1, std::string_view payload) {
  // §5.1: a server's frames are never masked. One frame per message: no fragmentation.
  FrameFields f;
  f.opcode = opcode;
  f.rsv1 = rsv1;
  f.payload_length = payload.size();
  std::array<char, kMaxFrameHeader> header{};
  const std::size_t n = write_frame_header(header, f);
  out_.append(header.data(), n);
  out_.append(payload);
}

void WebSocketSession::fail(std::uint16_t code, std::string_view reason) {
  if (!close_sent_) {
    std::array<char, kMaxControlPayload> payload{};
    reason = reason.substr(0, kMaxControlPayload - 2);
    const std::size_t n = write_close_payload(payload, code, reason);
    send_frame(Opcode::close, false, {payload.data(), n});
    close_sent_ = true;
    close_code_ = code;
  }
  done_ = true;
}

void WebSocketSession::on_idle_timeout() {
  if (done_) return;
  if (ping_outstanding_) {
    // No pong since the last ping: the peer is gone or stuck.
    fail(static_cast<std::uint16_t>(CloseCode::going_away), "no pong");
    report_close();
    return;
  }
  send_frame(Opcode::ping, false, {});
  ping_outstanding_ = true;
}

void WebSocketSession::on_eof() {
  if (done_) return;
  // §7.1.5: the connection closed without a Close frame: "abnormal closure", never sent.
  close_code_ = static_cast<std::uint16_t>(CloseCode::abnormal_closure);
  done_ = true;
  report_close();
}

void WebSocketSession::on_shutdown() {
  fail(static_cast<std::uint16_t>(CloseCode::going_away), "server stopping");
  report_close();
}

}  // namespace httpfsm::server
