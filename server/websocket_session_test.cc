// WebSocketSession and the handshake answer: the /ws/echo behaviour of issue 16 without
// sockets. Client frames are written with the library's writer (masked, as a client must);
// the session's output is read back with a client-role FrameDecoder.
#include "websocket_session.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <string>
#include <vector>

#include "httpfsm/head_parser.hpp"

namespace httpfsm::server {
namespace {

constexpr std::string_view kUpgrade =
    "GET /ws/echo HTTP/1.1\r\n"
    "Host: 127.0.0.1\r\n"
    "Upgrade: websocket\r\n"
    "Connection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    "Sec-WebSocket-Version: 13\r\n";

WebSocketAnswer answer(std::string request, const WebSocketConfig& config = {}) {
  HeadParser p;
  EXPECT_EQ(p.parse({request.data(), request.size()}), Progress::complete);
  return answer_websocket_handshake({request.data(), request.size()}, p.head(), config);
}

std::string client_frame(Opcode op, std::string_view payload, bool fin = true, bool rsv1 = false) {
  FrameFields f;
  f.opcode = op;
  f.fin = fin;
  f.rsv1 = rsv1;
  f.masked = true;
  f.key = {0x11, 0x22, 0x33, 0x44};
  std::string out(frame_header_size(payload.size(), true) + payload.size(), '\0');
  out.resize(
      write_frame(std::span<char>(out.data(), out.size()), f, {payload.data(), payload.size()}));
  return out;
}

std::string close_payload(std::uint16_t code, std::string_view reason = "") {
  std::string s(2 + reason.size(), '\0');
  s.resize(write_close_payload(std::span<char>(s.data(), s.size()), code, reason));
  return s;
}

// The session's output as "text:Hello pong: close:1000" (payloads of compressed frames
// shown as "z" plus their bytes' count, unless `inflate` is given).
struct ServerFrames {
  std::vector<std::string> events;
  std::vector<std::string> compressed;  // raw payloads of RSV1 frames
};

ServerFrames read_output(std::string_view out) {
  FrameDecoderOptions o;
  o.role = Role::client;
  o.permessage_deflate = true;
  o.max_message = 1u << 30;
  FrameDecoder d(o);
  std::string bytes(out);
  std::span<char> rest(bytes.data(), bytes.size());
  ServerFrames r;
  std::string message;
  for (;;) {
    const FrameStep s = d.decode(rest);
    rest = rest.subspan(s.consumed);
    if (s.event == FrameEvent::need_more) break;
    if (s.event == FrameEvent::failed) {
      r.events.push_back("decode error " + std::string(ws_error_name(d.error())));
      break;
    }
    const std::string data(s.data.data(), s.data.size());
    if (s.event == FrameEvent::data) {
      message += data;
      if (!s.message_end) continue;
      if (s.compressed) r.compressed.push_back(message);
      r.events.push_back(std::string(opcode_name(s.opcode)) +
                         (s.compressed ? "(z)" : ":" + message));
      message.clear();
    } else if (s.opcode == Opcode::close) {
      r.events.push_back("close:" + std::to_string(s.close.code) +
                         (s.close.reason.empty() ? "" : ":" + std::string(s.close.reason)));
    } else {
      r.events.push_back(std::string(opcode_name(s.opcode)) + ":" + data);
    }
  }
  EXPECT_TRUE(rest.empty());
  return r;
}

std::string events(const WebSocketSession& s) {
  std::string joined;
  for (const std::string& e : read_output(s.output()).events)
    joined += (joined.empty() ? "" : " ") + e;
  return joined;
}

TEST(WebSocketHandshake, answers_101_with_the_accept_of_the_rfc_example) {
  // RFC 6455 §1.3: this key's accept value is s3pPLMBiTxaQ9kYGzzhZRbK+xOo=.
  const WebSocketAnswer a = answer(std::string(kUpgrade) + "\r\n");
  EXPECT_EQ(a.result, Handshake::ok);
  EXPECT_EQ(a.status, 101);
  EXPECT_EQ(a.head(),
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
  EXPECT_FALSE(a.deflate.accepted);
}

TEST(WebSocketHandshake, negotiates_permessage_deflate) {
  const WebSocketAnswer a =
      answer(std::string(kUpgrade) +
             "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n");
  ASSERT_TRUE(a.deflate.accepted);
  EXPECT_NE(a.head().find("\r\nSec-WebSocket-Extensions: permessage-deflate\r\n"),
            std::string::npos)
      << a.head();
}

TEST(WebSocketHandshake, agrees_to_the_clients_first_subprotocol_the_route_speaks) {
  // RFC 6455 §4.2.2: one of the client's values, sent once (§11.3.4), after the accept.
  WebSocketConfig config;
  config.subprotocols = {"superchat", "chat"};
  const WebSocketAnswer a = answer(std::string(kUpgrade) +
                                       "Sec-WebSocket-Protocol: mqtt, chat\r\n"
                                       "Sec-WebSocket-Protocol: superchat\r\n\r\n",
                                   config);
  ASSERT_EQ(a.status, 101);
  EXPECT_EQ(a.subprotocol, "chat");
  EXPECT_EQ(a.head(),
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
            "Sec-WebSocket-Protocol: chat\r\n\r\n");
}

TEST(WebSocketHandshake, no_subprotocol_field_without_one_in_common) {
  // RFC 6455 §4.2.2: "if the server does not wish to agree to one of the suggested
  // subprotocols, it MUST NOT send back a Sec-WebSocket-Protocol header field".
  WebSocketConfig config;
  config.subprotocols = {"chat"};
  for (const std::string& request :
       {std::string(kUpgrade) + "Sec-WebSocket-Protocol: mqtt, Chat\r\n\r\n",
        std::string(kUpgrade) + "\r\n"}) {
    const WebSocketAnswer a = answer(request, config);
    ASSERT_EQ(a.status, 101);
    EXPECT_TRUE(a.subprotocol.empty());
    EXPECT_EQ(a.head().find("Sec-WebSocket-Protocol"), std::string::npos) << a.head();
  }
  // A route that names none agrees to none, whatever is offered.
  const WebSocketAnswer a = answer(std::string(kUpgrade) + "Sec-WebSocket-Protocol: chat\r\n\r\n");
  EXPECT_TRUE(a.subprotocol.empty());
  EXPECT_EQ(a.head().find("Sec-WebSocket-Protocol"), std::string::npos) << a.head();
}

TEST(WebSocketHandshake, accepts_permessage_deflate_alone_among_other_extensions) {
  // RFC 7692 §5: "A server MUST NOT accept a PMCE extension negotiation offer together with
  // another extension if the PMCE will conflict with the extension on their use of the RSV1
  // bit" (x-webkit-deflate-frame uses RSV1 too). httpfsm accepts no extension but this one.
  const WebSocketAnswer a =
      answer(std::string(kUpgrade) +
             "Sec-WebSocket-Extensions: x-webkit-deflate-frame, permessage-deflate\r\n"
             "Sec-WebSocket-Extensions: x-webkit-deflate-frame; no_context_takeover\r\n\r\n");
  ASSERT_TRUE(a.deflate.accepted);
  const std::size_t line = a.head().find("\r\nSec-WebSocket-Extensions: permessage-deflate\r\n");
  ASSERT_NE(line, std::string::npos) << a.head();
  EXPECT_EQ(a.head().find("Sec-WebSocket-Extensions", line + 3), std::string::npos) << a.head();
  EXPECT_EQ(a.head().find("x-webkit"), std::string::npos) << a.head();
}

TEST(WebSocketHandshake, wrong_version_is_426_with_the_version_field) {
  std::string request(kUpgrade);
  request.replace(request.find("Version: 13"), 11, "Version: 7");
  const WebSocketAnswer a = answer(request + "\r\n");
  EXPECT_EQ(a.status, 426);
  EXPECT_EQ(a.extra_field, "Sec-WebSocket-Version: 13");
  EXPECT_TRUE(a.head().empty());
}

TEST(WebSocketHandshake, missing_key_is_400) {
  std::string request(kUpgrade);
  request.erase(request.find("Sec-WebSocket-Key"), 45);
  const WebSocketAnswer a = answer(request + "\r\n");
  EXPECT_EQ(a.result, Handshake::missing_key);
  EXPECT_EQ(a.status, 400);
}

TEST(WebSocketSession, echoes_text_and_binary_as_one_message_of_the_same_type) {
  WebSocketSession s({}, {});
  s.on_bytes(client_frame(Opcode::text, "Hello") +
             client_frame(Opcode::binary, std::string("\0\xff", 2)));
  EXPECT_EQ(events(s), std::string("text:Hello binary:") + std::string("\0\xff", 2));
  EXPECT_FALSE(s.done());
}

TEST(WebSocketSession, fragmented_message_echoes_whole_after_pongs) {
  // RFC 6455 §5.4: a ping between fragments is answered at once (§5.5.2); the echo is one frame.
  WebSocketSession s({}, {});
  s.on_bytes(client_frame(Opcode::text, "Hel", false) + client_frame(Opcode::ping, "p1") +
             client_frame(Opcode::continuation, "lo", true));
  EXPECT_EQ(events(s), "pong:p1 text:Hello");
  const std::string out(s.output());
  EXPECT_EQ(out.substr(out.size() - 7), std::string("\x81\x05Hello"));  // unmasked, one frame
}

TEST(WebSocketSession, output_is_the_same_for_any_split_of_the_input) {
  const std::string input =
      client_frame(Opcode::text, "Hel", false) + client_frame(Opcode::ping, "p") +
      client_frame(Opcode::continuation, "lo") + client_frame(Opcode::binary, "xyz") +
      client_frame(Opcode::close, close_payload(1000, "bye"));
  WebSocketSession whole({}, {});
  whole.on_bytes(input);
  for (std::size_t cut = 0; cut <= input.size(); ++cut) {
    WebSocketSession split({}, {});
    split.on_bytes(std::string_view(input).substr(0, cut));
    split.on_bytes(std::string_view(input).substr(cut));
    ASSERT_EQ(split.output(), whole.output()) << "cut at " << cut;
  }
  WebSocketSession bytewise({}, {});
  for (char c : input) {
    std::span<char> room = bytewise.input_space(1);
    room[0] = c;
    bytewise.on_received(1);
  }
  EXPECT_EQ(bytewise.output(), whole.output());
  EXPECT_EQ(events(whole), "pong:p text:Hello binary:xyz close:1000");
}

TEST(WebSocketSession, close_handshake_echoes_the_code_and_ends) {
  // RFC 6455 §5.5.1: the endpoint "MUST send a Close frame in response"; echoing the code.
  WebSocketSession s({}, {});
  s.on_bytes(client_frame(Opcode::close, close_payload(4001, "done")) +
             client_frame(Opcode::text, "late"));
  EXPECT_EQ(events(s), "close:4001");
  EXPECT_TRUE(s.done());
  EXPECT_EQ(s.close_code(), 4001);
}

TEST(WebSocketSession, empty_close_is_answered_with_an_empty_close) {
  // §7.1.5: no code received is 1005, which must not be sent back: the answer is empty too.
  WebSocketSession s({}, {});
  s.on_bytes(client_frame(Opcode::close, ""));
  EXPECT_EQ(s.output(), std::string("\x88\x00", 2));
  EXPECT_EQ(s.close_code(), 1005);
}

TEST(WebSocketSession, protocol_errors_close_with_1002) {
  WebSocketSession s({}, {});
  s.on_bytes(std::string("\x81\x05Hello"));  // §5.1: unmasked client frame
  EXPECT_EQ(events(s), "close:1002:client frame not masked");
  EXPECT_TRUE(s.done());
  EXPECT_FALSE(s.wants_input());
}

TEST(WebSocketSession, invalid_utf8_closes_with_1007) {
  WebSocketSession s({}, {});
  s.on_bytes(client_frame(Opcode::text, "ok") + client_frame(Opcode::text, "\xed\xa0\x80"));
  EXPECT_EQ(events(s), "text:ok close:1007:text is not valid UTF-8");
}

TEST(WebSocketSession, message_over_the_limit_closes_with_1009) {
  WebSocketConfig config;
  config.max_message = 10;
  WebSocketSession s(config, {});
  s.on_bytes(client_frame(Opcode::binary, "0123456789") +
             client_frame(Opcode::binary, "0123456789A"));
  EXPECT_EQ(events(s), "binary:0123456789 close:1009:message larger than the limit");
  EXPECT_EQ(s.close_code(), 1009);
}

TEST(WebSocketSession, idle_timeout_pings_then_closes_without_pong) {
  WebSocketSession s({}, {});
  s.on_idle_timeout();
  EXPECT_EQ(s.output(), std::string("\x89\x00", 2));
  EXPECT_TRUE(s.ping_outstanding());
  s.consume_output(2);
  s.on_bytes(client_frame(Opcode::pong, ""));
  EXPECT_FALSE(s.ping_outstanding());
  s.on_idle_timeout();
  EXPECT_EQ(s.output(), std::string("\x89\x00", 2));
  s.consume_output(2);
  s.on_idle_timeout();  // no pong since
  EXPECT_EQ(events(s), "close:1001:no pong");
  EXPECT_TRUE(s.done());
}

TEST(WebSocketSession, eof_ends_with_1006_and_shutdown_sends_1001) {
  WebSocketSession a({}, {});
  a.on_eof();
  EXPECT_TRUE(a.done());
  EXPECT_EQ(a.close_code(), 1006);
  EXPECT_TRUE(a.output().empty());
  WebSocketSession b({}, {});
  b.on_shutdown();
  EXPECT_EQ(events(b), "close:1001:server stopping");
}

TEST(WebSocketSession, output_above_high_water_stops_input_until_sent) {
  WebSocketSession s({}, {});
  s.on_bytes(client_frame(Opcode::binary, std::string(100 * 1024, 'b')));
  EXPECT_FALSE(s.wants_input());
  s.consume_output(s.output().size());
  EXPECT_TRUE(s.wants_input());
  EXPECT_TRUE(s.output().empty());
}

// RFC 7692 with a client-side zlib written here: raw deflate, sync flush, tail dropped.
class DeflateClient {
 public:
  // `inflate_bits`: the window the client inflates with (its server_max_window_bits).
  explicit DeflateClient(bool no_context_takeover = false, int inflate_bits = 15)
      : reset_(no_context_takeover) {
    EXPECT_EQ(deflateInit2(&d_, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
    EXPECT_EQ(inflateInit2(&i_, -inflate_bits), Z_OK);
  }
  ~DeflateClient() {
    deflateEnd(&d_);
    inflateEnd(&i_);
  }
  std::string compress(std::string_view text) {
    std::string out(text.size() + 64, '\0');
    d_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    d_.avail_in = static_cast<uInt>(text.size());
    d_.next_out = reinterpret_cast<Bytef*>(out.data());
    d_.avail_out = static_cast<uInt>(out.size());
    const int r = deflate(&d_, Z_SYNC_FLUSH);
    EXPECT_TRUE(r == Z_OK || r == Z_BUF_ERROR) << r;  // Z_BUF_ERROR: nothing was pending
    out.resize(out.size() - d_.avail_out);
    if (out.empty()) {
      out = std::string(1, '\0');  // RFC 7692 §7.2.3.6: nothing pending, empty message is 0x00
    } else {
      EXPECT_EQ(out.substr(out.size() - 4), std::string("\0\0\xff\xff", 4));
      out.resize(out.size() - 4);
    }
    if (reset_) deflateReset(&d_);
    return out;
  }
  std::string decompress(std::string payload) {
    payload += std::string("\0\0\xff\xff", 4);
    std::string out(1 << 20, '\0');
    i_.next_in = reinterpret_cast<Bytef*>(payload.data());
    i_.avail_in = static_cast<uInt>(payload.size());
    i_.next_out = reinterpret_cast<Bytef*>(out.data());
    i_.avail_out = static_cast<uInt>(out.size());
    const int r = inflate(&i_, Z_SYNC_FLUSH);
    EXPECT_TRUE(r == Z_OK || r == Z_BUF_ERROR) << r;
    out.resize(out.size() - i_.avail_out);
    return out;
  }

 private:
  z_stream d_{};
  z_stream i_{};
  bool reset_;
};

DeflateAgreement agree(std::string_view offer) {
  const DeflateAgreement a = negotiate_deflate(offer, DeflateConfig{});
  EXPECT_TRUE(a.accepted);
  return a;
}

TEST(WebSocketSessionDeflate, inflates_messages_and_deflates_echoes_with_context_takeover) {
  WebSocketSession s({}, agree("permessage-deflate"));
  DeflateClient client;
  const std::string text(200, 'w');
  // Twice: the second message refers back to the first (context takeover on both sides).
  const std::string first = client.compress(text);
  const std::string second = client.compress(text);
  EXPECT_LT(second.size(), first.size());
  s.on_bytes(client_frame(Opcode::text, first, true, true) +
             client_frame(Opcode::text, second, true, true));
  const ServerFrames out = read_output(s.output());
  ASSERT_EQ(out.events, (std::vector<std::string>{"text(z)", "text(z)"}));
  EXPECT_EQ(client.decompress(out.compressed[0]), text);
  EXPECT_EQ(client.decompress(out.compressed[1]), text);
  EXPECT_LT(out.compressed[1].size(), out.compressed[0].size());  // the server kept its context
}

TEST(WebSocketSessionDeflate, no_context_takeover_compresses_each_message_alone) {
  WebSocketSession s(
      {}, agree("permessage-deflate; server_no_context_takeover; client_no_context_takeover"));
  DeflateClient client(true);
  const std::string text = "the same sentence, twice over";
  const std::string c = client.compress(text);
  s.on_bytes(client_frame(Opcode::text, c, true, true) +
             client_frame(Opcode::binary, c, true, true));
  const ServerFrames out = read_output(s.output());
  ASSERT_EQ(out.compressed.size(), 2u);
  EXPECT_EQ(out.compressed[0], out.compressed[1]);  // no reference to the previous message
  DeflateClient fresh;
  EXPECT_EQ(fresh.decompress(out.compressed[1]), text);
}

TEST(WebSocketSessionDeflate, server_max_window_bits_bounds_the_window_the_server_deflates_with) {
  // RFC 7692 §7.2.1: with server_max_window_bits=w agreed, "the server MUST NOT use an LZ77
  // sliding window longer than the w-th power of 2 bytes to compress messages to send".
  const DeflateAgreement a = agree("permessage-deflate; server_max_window_bits=9");
  EXPECT_EQ(a.response_value(), "permessage-deflate; server_max_window_bits=9");
  WebSocketSession s({}, a);
  // 1,000 bytes without inner repeats, sent twice: with a window over 1,000 bytes the second
  // echo would copy the first from 1,000 bytes back, which a 512-byte window does not hold.
  std::string block(1000, '\0');
  std::uint32_t x = 1;
  for (char& c : block) {
    x = x * 1103515245u + 12345u;
    c = static_cast<char>(x >> 24);
  }
  s.on_bytes(client_frame(Opcode::binary, block) + client_frame(Opcode::binary, block));
  const ServerFrames out = read_output(s.output());
  ASSERT_EQ(out.compressed.size(), 2u);
  DeflateClient client(false, 9);  // inflates with a 512-byte window, no more
  for (const std::string& echo : out.compressed) {
    const std::string inflated = client.decompress(echo);
    EXPECT_EQ(inflated.size(), block.size());
    EXPECT_TRUE(inflated == block);  // not printed: 1,000 bytes of noise
  }
}

TEST(WebSocketSessionDeflate, a_final_block_is_followed_by_the_next_and_keeps_the_window) {
  // RFC 7692 §7.2.1: "An endpoint MAY use both DEFLATE blocks with the "BFINAL" bit set to 0
  // and DEFLATE blocks with the "BFINAL" bit set to 1"; "The next DEFLATE block follows the
  // padded data if any". §7.2.3.4's example: "Hello" in a block with BFINAL set, then 0x00.
  // §7.2.2: without client_no_context_takeover "the server MUST decompress each new message
  // using the LZ77 sliding window used to process the last compressed message".
  WebSocketSession s({}, agree("permessage-deflate"));
  const std::string final_hello("\xf3\x48\xcd\xc9\xc9\x07\x00", 7);
  const std::string hello_again("\xf2\x00\x11\x00\x00", 5);  // §7.2.3.2: 5 bytes back
  s.on_bytes(client_frame(Opcode::text, final_hello + std::string(1, '\0'), true, true) +
             client_frame(Opcode::text, hello_again, true, true) +
             client_frame(Opcode::text, final_hello + hello_again, true, true));
  const ServerFrames out = read_output(s.output());
  ASSERT_EQ(out.events, (std::vector<std::string>{"text(z)", "text(z)", "text(z)"}));
  DeflateClient client;
  EXPECT_EQ(client.decompress(out.compressed[0]), "Hello");
  EXPECT_EQ(client.decompress(out.compressed[1]), "Hello");
  EXPECT_EQ(client.decompress(out.compressed[2]), "HelloHello");
}

TEST(WebSocketSessionDeflate, many_final_blocks_in_one_message_are_a_policy_close) {
  // Each block with BFINAL set restarts the inflater on a copy of its 32 KiB window, so a
  // message of empty final blocks ("03 00", two bytes each) would cost 32 KiB of copying per
  // two bytes received. A few per message are served (above); past 16 the session closes
  // with 1008 (RFC 6455 §7.4.1) and inflates no more.
  const std::string final_hello("\xf3\x48\xcd\xc9\xc9\x07\x00", 7);
  std::string sixteen_more = final_hello;
  for (int i = 0; i < 15; ++i) sixteen_more += std::string("\x03\x00", 2);
  WebSocketSession served({}, agree("permessage-deflate"));
  // Each message ends as §7.2.3.4's does: a 0x00 that the appended 00 00 ff ff completes.
  served.on_bytes(client_frame(Opcode::text, sixteen_more + std::string(1, '\0'), true, true));
  const ServerFrames ok = read_output(served.output());
  ASSERT_EQ(ok.events, (std::vector<std::string>{"text(z)"}));
  EXPECT_EQ(DeflateClient().decompress(ok.compressed[0]), "Hello");

  WebSocketSession s({}, agree("permessage-deflate"));
  s.on_bytes(client_frame(Opcode::text, sixteen_more + std::string("\x03\x00\x00", 3), true, true));
  EXPECT_EQ(read_output(s.output()).events,
            (std::vector<std::string>{"close:1008:too many final DEFLATE blocks"}));
}

TEST(WebSocketSessionDeflate, fragmented_compressed_message) {
  // RFC 7692 §6: RSV1 on the first frame only.
  WebSocketSession s({}, agree("permessage-deflate"));
  DeflateClient client;
  const std::string c = client.compress("fragmented and compressed");
  s.on_bytes(client_frame(Opcode::text, c.substr(0, 5), false, true) +
             client_frame(Opcode::ping, "") +
             client_frame(Opcode::continuation, c.substr(5), true, false));
  const ServerFrames out = read_output(s.output());
  ASSERT_EQ(out.events, (std::vector<std::string>{"pong:", "text(z)"}));
  EXPECT_EQ(client.decompress(out.compressed[0]), "fragmented and compressed");
}

TEST(WebSocketSessionDeflate, empty_messages_keep_both_streams_in_step) {
  // Regression (websocket_session_fuzzer): with context takeover, an empty message right
  // after another left zlib nothing to write, and the server sent an empty payload; the
  // peer's 00 00 ff ff then opened a stored block and every later echo inflated to garbage.
  // RFC 7692 §7.2.3.6: the empty message is sent as the single byte 0x00.
  WebSocketSession s({}, agree("permessage-deflate"));
  DeflateClient client;
  s.on_bytes(client_frame(Opcode::text, client.compress("x"), true, true) +
             client_frame(Opcode::binary, client.compress(""), true, true) +
             client_frame(Opcode::text, client.compress("after"), true, true));
  const ServerFrames out = read_output(s.output());
  ASSERT_EQ(out.compressed.size(), 3u);
  EXPECT_EQ(out.compressed[1], std::string(1, '\0'));
  EXPECT_EQ(client.decompress(out.compressed[0]), "x");
  EXPECT_EQ(client.decompress(out.compressed[1]), "");
  EXPECT_EQ(client.decompress(out.compressed[2]), "after");
}

TEST(WebSocketSessionDeflate, payload_not_ending_on_a_block_boundary_closes_with_1007) {
  // An empty payload after a message leaves the inflater inside the stored block that
  // 00 00 ff ff opens (RFC 7692 §7.2.2 expects a block boundary there).
  WebSocketSession s({}, agree("permessage-deflate"));
  DeflateClient client;
  s.on_bytes(client_frame(Opcode::text, client.compress("x"), true, true) +
             client_frame(Opcode::text, "", true, true));
  EXPECT_EQ(events(s), "text(z) close:1007:bad compressed data");
}

TEST(WebSocketSessionDeflate, inflated_size_over_the_limit_closes_with_1009) {
  WebSocketConfig config;
  config.max_message = 1000;
  WebSocketSession s(config, agree("permessage-deflate"));
  DeflateClient client;
  s.on_bytes(client_frame(Opcode::binary, client.compress(std::string(5000, 'z')), true, true));
  EXPECT_EQ(events(s), "close:1009:message larger than the limit");
}

TEST(WebSocketSessionDeflate, invalid_utf8_after_inflating_closes_with_1007) {
  WebSocketSession s({}, agree("permessage-deflate"));
  DeflateClient client;
  s.on_bytes(client_frame(Opcode::text, client.compress("\xc0\xaf"), true, true));
  EXPECT_EQ(events(s), "close:1007:text is not valid UTF-8");
}

TEST(WebSocketSessionDeflate, corrupt_compressed_data_closes_with_1007) {
  WebSocketSession s({}, agree("permessage-deflate"));
  s.on_bytes(client_frame(Opcode::binary, std::string("\xff\xff\xff\xff", 4), true, true));
  EXPECT_EQ(events(s), "close:1007:bad compressed data");
}

TEST(WebSocketSessionDeflate, rsv1_without_negotiation_is_a_protocol_error) {
  WebSocketSession s({}, {});
  s.on_bytes(client_frame(Opcode::text, "x", true, true));
  EXPECT_EQ(events(s), "close:1002:RSV bit set without a negotiated extension");
}

}  // namespace
}  // namespace httpfsm::server
