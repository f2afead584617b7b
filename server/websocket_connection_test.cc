// WebSocket through the transport (issue 16): a Connection driven with bytes carries the
// protocol after the 101 (RFC 9110 §15.2.2): httpfsm-server's /ws/echo, and an application's
// own WebSocket route through App::websocket(). Client frames are masked as a client's must
// be (RFC 6455 §5.1); the server's frames are read back with a client-role FrameDecoder.
#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "connection.hpp"
#include "context.hpp"
#include "httpfsm/server.hpp"
#include "httpfsm/websocket_close.hpp"
#include "httpfsm/websocket_decoder.hpp"
#include "httpfsm/websocket_frame.hpp"
#include "testing/app_site.hpp"
#include "testing/test_site.hpp"

namespace httpfsm::server {
namespace {

constexpr std::string_view kUpgrade =
    "GET /ws/echo HTTP/1.1\r\n"
    "Host: 127.0.0.1\r\n"
    "Upgrade: websocket\r\n"
    "Connection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    "Sec-WebSocket-Version: 13\r\n\r\n";

// The upgrade request to `path`, with `extra_lines` (each ending in CRLF) before its empty line.
std::string upgrade_to(std::string_view path, std::string_view extra_lines = {}) {
  std::string s(kUpgrade);
  s.replace(4, 8, path);
  s.insert(s.size() - 2, extra_lines);
  return s;
}

std::string client_frame(Opcode op, std::string_view payload, bool fin = true) {
  FrameFields f;
  f.opcode = op;
  f.fin = fin;
  f.masked = true;
  f.key = {0x11, 0x22, 0x33, 0x44};
  std::string out(frame_header_size(payload.size(), true) + payload.size(), '\0');
  out.resize(
      write_frame(std::span<char>(out.data(), out.size()), f, {payload.data(), payload.size()}));
  return out;
}

std::string close_frame(std::uint16_t code) {
  std::string s(2, '\0');
  s.resize(write_close_payload(std::span<char>(s.data(), s.size()), code, {}));
  return client_frame(Opcode::close, s);
}

// The server's frames as "text:Hello binary:xy ping: close:1000", space-separated.
std::string frames(std::string bytes) {
  FrameDecoderOptions o;
  o.role = Role::client;
  o.max_message = 1u << 30;
  FrameDecoder d(o);
  std::span<char> rest(bytes.data(), bytes.size());
  std::string joined;
  for (;;) {
    const FrameStep s = d.decode(rest);
    rest = rest.subspan(s.consumed);
    if (s.event == FrameEvent::need_more) break;
    std::string e;
    if (s.event == FrameEvent::failed) {
      e = "decode-error";
    } else if (s.opcode == Opcode::close) {
      e = "close:" + std::to_string(s.close.code);
    } else {
      e = std::string(opcode_name(s.opcode)) + ":" + std::string(s.data.data(), s.data.size());
    }
    joined += (joined.empty() ? "" : " ") + e;
    if (s.event == FrameEvent::failed) break;
  }
  if (!rest.empty()) joined += " +partial";
  return joined;
}

class WebSocketConnectionTest : public ::testing::Test {
 protected:
  WebSocketConnectionTest() : site_(config()), conn_(site_.connect()) {}
  static Config config() {
    Config c;
    c.ws_max_message = 1000;
    return c;
  }
  // Sends the upgrade; returns the 101's head and leaves the connection upgraded.
  std::string upgrade(std::string_view extra = "") {
    conn_->on_bytes(std::string(kUpgrade) + std::string(extra));
    std::string out = testing::drain(conn_->output());
    const std::size_t end = out.find("\r\n\r\n");
    EXPECT_NE(end, std::string::npos) << out;
    rest_ = out.substr(end + 4);
    return out.substr(0, end + 4);
  }
  std::string output() { return testing::drain(conn_->output()); }

  testing::TestSite site_;
  std::unique_ptr<Connection> conn_;
  std::string rest_;  // what followed the 101 in the same drain
};

TEST_F(WebSocketConnectionTest, the_101_carries_the_accept_and_frames_follow) {
  const std::string head = upgrade();
  EXPECT_TRUE(head.starts_with("HTTP/1.1 101 Switching Protocols\r\n")) << head;
  // RFC 6455 §1.3: the accept value of this key.
  EXPECT_NE(head.find("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"),
            std::string::npos)
      << head;
  EXPECT_NE(head.find("\r\nUpgrade: websocket\r\n"), std::string::npos) << head;
  EXPECT_EQ(head.find("Content-Length"), std::string::npos) << head;  // RFC 9110 §8.6
  EXPECT_EQ(rest_, "");
  EXPECT_EQ(conn_->state(), Connection::State::upgraded);
  EXPECT_TRUE(conn_->wants_input());
  EXPECT_FALSE(conn_->done());
  EXPECT_EQ(conn_->timer(), Connection::TimerKind::idle);

  conn_->on_bytes(client_frame(Opcode::text, "Hello"));
  EXPECT_EQ(frames(output()), "text:Hello");
  conn_->on_bytes(client_frame(Opcode::binary, std::string("\0\1\2", 3)));
  EXPECT_EQ(frames(output()), std::string("binary:\0\1\2", 10));
}

TEST_F(WebSocketConnectionTest, frames_pipelined_behind_the_head_go_to_the_protocol) {
  upgrade(client_frame(Opcode::text, "early") + client_frame(Opcode::ping, "p"));
  EXPECT_EQ(frames(rest_), "text:early pong:p");
}

TEST_F(WebSocketConnectionTest, frames_split_across_reads_and_fragments_are_joined) {
  upgrade();
  const std::string a = client_frame(Opcode::text, "Hel", false);
  const std::string b = client_frame(Opcode::continuation, "lo");
  const std::string all = a + client_frame(Opcode::ping, "x") + b;
  for (const char c : all) conn_->on_bytes(std::string_view(&c, 1));  // a byte per read
  EXPECT_EQ(frames(output()), "pong:x text:Hello");
}

TEST_F(WebSocketConnectionTest, the_close_handshake_echoes_the_code_then_the_connection_ends) {
  upgrade();
  conn_->on_bytes(close_frame(1000));
  EXPECT_FALSE(conn_->wants_input());
  EXPECT_FALSE(conn_->done());  // the Close is not sent yet
  EXPECT_EQ(frames(output()), "close:1000");
  conn_->on_output_progress();
  EXPECT_TRUE(conn_->done());
  EXPECT_EQ(conn_->state(), Connection::State::closing);
}

TEST_F(WebSocketConnectionTest, a_protocol_error_fails_with_its_close_code) {
  upgrade();
  // RFC 6455 §5.2: an unmasked client frame is a protocol error (1002).
  conn_->on_bytes(std::string("\x81\x02hi", 4));
  EXPECT_EQ(frames(output()), "close:1002");
  EXPECT_TRUE(conn_->done());
}

TEST_F(WebSocketConnectionTest, a_message_over_ws_max_message_closes_with_1009) {
  upgrade();
  conn_->on_bytes(client_frame(Opcode::binary, std::string(1001, 'x')));
  EXPECT_EQ(frames(output()), "close:1009");
  EXPECT_TRUE(conn_->done());
}

TEST_F(WebSocketConnectionTest, an_idle_connection_is_pinged_then_closed_with_1001) {
  upgrade();
  const std::uint32_t epoch = conn_->timer_epoch();
  conn_->on_timeout();
  EXPECT_EQ(frames(output()), "ping:");
  EXPECT_NE(conn_->timer_epoch(), epoch);  // the timer runs again for the second expiry
  EXPECT_FALSE(conn_->done());
  conn_->on_timeout();  // no pong since
  EXPECT_EQ(frames(output()), "close:1001");
  EXPECT_TRUE(conn_->done());
}

TEST_F(WebSocketConnectionTest, a_pong_keeps_an_idle_connection_open) {
  upgrade();
  conn_->on_timeout();
  EXPECT_EQ(frames(output()), "ping:");
  const std::uint32_t epoch = conn_->timer_epoch();
  conn_->on_bytes(client_frame(Opcode::pong, ""));
  EXPECT_NE(conn_->timer_epoch(), epoch);  // input restarts the idle timer
  conn_->on_timeout();
  EXPECT_EQ(frames(output()), "ping:");  // a fresh ping, not a close
  EXPECT_FALSE(conn_->done());
}

TEST_F(WebSocketConnectionTest, shutdown_closes_with_1001) {
  upgrade();
  conn_->on_shutdown();
  EXPECT_EQ(frames(output()), "close:1001");
  EXPECT_TRUE(conn_->done());
}

TEST_F(WebSocketConnectionTest, an_upgrade_finishing_during_shutdown_switches_then_says_1001) {
  const std::string bytes(kUpgrade);
  conn_->on_bytes(bytes.substr(0, 20));  // the request started before the stop
  conn_->on_shutdown();
  conn_->on_bytes(bytes.substr(20));
  const std::string out = output();
  const std::size_t end = out.find("\r\n\r\n");
  ASSERT_NE(end, std::string::npos) << out;
  const std::string head = out.substr(0, end + 4);
  EXPECT_TRUE(head.starts_with("HTTP/1.1 101 ")) << head;
  EXPECT_EQ(head.find("Connection: close"), std::string::npos) << head;  // not a 101 that closes
  EXPECT_EQ(frames(out.substr(end + 4)), "close:1001");
  EXPECT_TRUE(conn_->done());
}

TEST_F(WebSocketConnectionTest, the_peer_vanishing_ends_the_connection_silently) {
  upgrade();
  conn_->on_eof();
  EXPECT_EQ(output(), "");
  EXPECT_TRUE(conn_->done());
}

TEST_F(WebSocketConnectionTest, a_full_output_stops_reading_until_it_drains) {
  upgrade();
  // 900-byte messages under the 1000-byte limit, echoed and never sent: past the output
  // bound the transport stops reading.
  const std::string frame = client_frame(Opcode::binary, std::string(900, 'b'));
  int sent = 0;
  while (conn_->wants_input() && sent < 1000) {
    conn_->on_bytes(frame);
    ++sent;
  }
  EXPECT_FALSE(conn_->wants_input());
  EXPECT_GE(conn_->output().pending_bytes(), Connection::kOutputHighWater);
  EXPECT_LT(sent, 1000);
  const std::string out = output();
  conn_->on_output_progress();
  EXPECT_TRUE(conn_->wants_input());
  std::string expected;
  for (int i = 0; i < sent; ++i) expected += (i ? " binary:" : "binary:") + std::string(900, 'b');
  EXPECT_EQ(frames(out), expected);
}

TEST_F(WebSocketConnectionTest, handshake_failures_are_400_or_426_and_keep_http) {
  // RFC 6455 §4.2.1: not a handshake (no Upgrade) -> 400 with the usual one-line body.
  testing::Exchange e = testing::exchange(*conn_, "GET /ws/echo HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_EQ(e.responses.size(), 1u) << e.raw;
  EXPECT_EQ(e.responses[0].status, 400);
  EXPECT_EQ(e.responses[0].body, "400 Bad Request: Upgrade does not list websocket\n");
  // §4.2.2: another version -> 426 naming 13.
  std::string v12(kUpgrade);
  v12.replace(v12.find("Version: 13"), 11, "Version: 12");
  e = testing::exchange(*conn_, v12);
  ASSERT_EQ(e.responses.size(), 1u) << e.raw;
  EXPECT_EQ(e.responses[0].status, 426);
  EXPECT_NE(e.raw.find("\r\nSec-WebSocket-Version: 13\r\n"), std::string::npos) << e.raw;
  EXPECT_EQ(conn_->state(), Connection::State::head);  // still HTTP
}

TEST_F(WebSocketConnectionTest, a_426_names_websocket_in_an_upgrade_field) {
  // RFC 9110 §15.5.22: "The server MUST send an Upgrade header field in a 426 response to
  // indicate the required protocol(s)"; RFC 6455 §4.2.2: and the versions it speaks.
  std::string v8(kUpgrade);
  v8.replace(v8.find("Version: 13"), 11, "Version: 8");
  const testing::Exchange e = testing::exchange(*conn_, v8);
  ASSERT_EQ(e.responses.size(), 1u) << e.raw << e.error;
  EXPECT_EQ(e.responses[0].status, 426);
  EXPECT_EQ(e.responses[0].field("Upgrade"), "websocket") << e.raw;
  EXPECT_EQ(e.responses[0].field("Sec-WebSocket-Version"), "13") << e.raw;
}

TEST_F(WebSocketConnectionTest, a_websocket_request_to_another_route_gets_its_normal_answer) {
  const testing::Exchange e = testing::exchange(*conn_, upgrade_to("/echo/hi"));
  ASSERT_EQ(e.responses.size(), 1u) << e.raw;
  EXPECT_EQ(e.responses[0].status, 200);
  EXPECT_EQ(e.responses[0].body, "hi");
  EXPECT_EQ(conn_->state(), Connection::State::head);
}

// An application's own WebSocket route through the public API.
class AppWebSocketTest : public ::testing::Test {
 protected:
  AppWebSocketTest() {
    WebSocketHandlers h;
    h.on_open = [this](WebSocket& ws, const Request& request) {
      log_.push_back("open " + std::string(request.param("room")) +
                     (ws.subprotocol().empty() ? "" : " as " + std::string(ws.subprotocol())));
      ws.send_text("welcome");
    };
    h.on_message = [this](WebSocket& ws, std::string_view data, bool binary) {
      log_.push_back(std::string(binary ? "binary " : "text ") + std::string(data));
      if (data == "bye") {
        ws.close(4000, "asked");
      } else if (data == "bad code") {
        ws.close(1005, "not for the wire");
      } else if (data == "long reason") {
        std::string reason = "xx";
        for (int i = 0; i < 100; ++i) reason += "é";  // 202 bytes; byte 123 is inside an é
        ws.close(4001, reason);
      } else if (data == "throw") {
        throw std::runtime_error("handler bug");
      } else {
        ws.send_text("got " + std::string(data));
      }
    };
    h.on_close = [this](std::uint16_t code) { log_.push_back("close " + std::to_string(code)); };
    WebSocketOptions o;
    o.max_message = 16;
    o.subprotocols = {"chat.v2", "chat"};
    app_.websocket("/chat/{room}", std::move(h), o);
    app_.get("/plain", [](const Request&, Response& r) { r.body = "plain"; });
    site_.build(config_, app_);
    conn_ = site_.connect();
  }
  std::string open() {
    conn_->on_bytes(upgrade_to("/chat/lobby"));
    std::string out = testing::drain(conn_->output());
    EXPECT_TRUE(out.starts_with("HTTP/1.1 101 ")) << out;
    return frames(out.substr(out.find("\r\n\r\n") + 4));
  }
  std::string output() { return frames(testing::drain(conn_->output())); }

  std::vector<std::string> log_;
  Config config_;
  App app_;
  testing::AppSite site_;
  std::unique_ptr<Connection> conn_;
};

TEST_F(AppWebSocketTest, handlers_open_receive_reply_and_close) {
  EXPECT_EQ(open(), "text:welcome");  // sent from on_open, right behind the 101
  conn_->on_bytes(client_frame(Opcode::text, "hi"));
  EXPECT_EQ(output(), "text:got hi");
  conn_->on_bytes(client_frame(Opcode::binary, "bye"));
  EXPECT_EQ(output(), "close:4000");
  EXPECT_TRUE(conn_->done());
  EXPECT_EQ(log_, (std::vector<std::string>{"open lobby", "text hi", "binary bye", "close 4000"}));
}

TEST_F(AppWebSocketTest, the_agreed_subprotocol_is_in_the_101_and_told_to_on_open) {
  // RFC 6455 §4.2.2: the client's first choice that the route speaks ("chat" before
  // "chat.v2", though the route lists chat.v2 first); the handlers see it.
  conn_->on_bytes(
      upgrade_to("/chat/lobby", "Sec-WebSocket-Protocol: graphql-ws, chat, chat.v2\r\n"));
  const std::string out = testing::drain(conn_->output());
  ASSERT_TRUE(out.starts_with("HTTP/1.1 101 ")) << out;
  const std::string head = out.substr(0, out.find("\r\n\r\n") + 2);
  EXPECT_NE(head.find("\r\nSec-WebSocket-Protocol: chat\r\n"), std::string::npos) << head;
  EXPECT_EQ(head.find("Sec-WebSocket-Protocol", head.find("Sec-WebSocket-Protocol") + 1),
            std::string::npos)
      << head;  // §11.3.4: once
  EXPECT_EQ(log_, (std::vector<std::string>{"open lobby as chat"}));
}

TEST_F(AppWebSocketTest, no_subprotocol_in_common_opens_without_one) {
  conn_->on_bytes(upgrade_to("/chat/lobby", "Sec-WebSocket-Protocol: mqtt\r\n"));
  const std::string out = testing::drain(conn_->output());
  ASSERT_TRUE(out.starts_with("HTTP/1.1 101 ")) << out;
  EXPECT_EQ(out.substr(0, out.find("\r\n\r\n")).find("Sec-WebSocket-Protocol"), std::string::npos)
      << out;
  EXPECT_EQ(log_, (std::vector<std::string>{"open lobby"}));
}

TEST_F(AppWebSocketTest, a_close_code_not_for_the_wire_becomes_1011) {
  open();
  conn_->on_bytes(client_frame(Opcode::text, "bad code"));
  EXPECT_EQ(output(), "close:1011");  // RFC 6455 §7.4.1: 1005 is never sent
  EXPECT_EQ(log_.back(), "close 1011");
}

TEST_F(AppWebSocketTest, a_long_close_reason_is_cut_at_a_character_boundary) {
  open();
  conn_->on_bytes(client_frame(Opcode::text, "long reason"));
  // The client-role decoder checks the reason's UTF-8 (§5.5.1): a cut é would fail it.
  EXPECT_EQ(output(), "close:4001");
}

TEST_F(AppWebSocketTest, the_route_limit_applies_and_on_close_sees_the_code) {
  open();
  conn_->on_bytes(client_frame(Opcode::text, std::string(17, 'x')));
  EXPECT_EQ(output(), "close:1009");
  EXPECT_EQ(log_.back(), "close 1009");
}

TEST_F(AppWebSocketTest, a_handler_that_throws_closes_with_1011) {
  open();
  conn_->on_bytes(client_frame(Opcode::text, "throw"));
  EXPECT_EQ(output(), "close:1011");
  EXPECT_TRUE(conn_->done());
  EXPECT_EQ(log_.back(), "close 1011");
}

TEST_F(AppWebSocketTest, the_peer_closing_tells_on_close_once) {
  open();
  conn_->on_bytes(close_frame(1001));
  EXPECT_EQ(output(), "close:1001");
  conn_->on_eof();
  conn_->on_abort();
  EXPECT_EQ(std::count(log_.begin(), log_.end(), "close 1001"), 1);
  EXPECT_EQ(log_.back(), "close 1001");
}

TEST_F(AppWebSocketTest, a_socket_failure_reports_1006) {
  open();
  conn_->on_abort();
  EXPECT_EQ(log_.back(), "close 1006");
}

TEST_F(AppWebSocketTest, an_upgrade_to_a_plain_route_is_never_101) {
  const testing::Exchange e = testing::exchange(*conn_, upgrade_to("/plain"));
  ASSERT_EQ(e.responses.size(), 1u) << e.raw;
  EXPECT_EQ(e.responses[0].status, 200);
  EXPECT_EQ(e.responses[0].body, "plain");
  EXPECT_TRUE(log_.empty());
}

}  // namespace
}  // namespace httpfsm::server
