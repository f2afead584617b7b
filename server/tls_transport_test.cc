// The TLS transport over a real socket whose send buffer is small, played the way the worker
// plays it (receive, send, and close_notify once the Connection is done and nothing is held),
// against an OpenSSL client that reads slowly. What the worker's close rests on: a response
// can be done while sealed records still wait in the gathering buffer (holds_unsent), and
// sending on until holds_unsent() is false delivers every byte before close_notify.
#include "tls_transport.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <string>

#include "testing/test_site.hpp"
#include "testing/tls_test_context.hpp"

namespace httpfsm::server {
namespace {

class TlsTransportOverSocket : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds_), 0);
    for (const int fd : fds_) ASSERT_EQ(::fcntl(fd, F_SETFL, O_NONBLOCK), 0);
    // The server's socket takes a few KiB at a time: never the gathering buffer's 64 KiB.
    int small = 8192;
    ASSERT_EQ(::setsockopt(fds_[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof small), 0);
    client_ctx_ = SSL_CTX_new(TLS_client_method());
    ASSERT_NE(client_ctx_, nullptr);
    client_ = SSL_new(client_ctx_);
    ASSERT_NE(client_, nullptr);
    ASSERT_EQ(SSL_set_fd(client_, fds_[1]), 1);
    SSL_set_connect_state(client_);
  }
  void TearDown() override {
    SSL_free(client_);
    SSL_CTX_free(client_ctx_);
    for (const int fd : fds_) ::close(fd);
    ERR_clear_error();
  }

  // The client's side of one turn: handshake, send what is left of `request`, then read at
  // most `budget` bytes (a slow reader). Notes the server's close_notify.
  void client_turn(const std::string& request, std::size_t budget) {
    if (!SSL_is_init_finished(client_)) {
      SSL_do_handshake(client_);
      ERR_clear_error();
      return;
    }
    if (sent_ < request.size()) {
      std::size_t n = 0;
      if (SSL_write_ex(client_, request.data() + sent_, request.size() - sent_, &n) == 1) {
        sent_ += n;
      }
    }
    char buf[4096];
    while (budget > 0) {
      std::size_t n = 0;
      if (SSL_read_ex(client_, buf, std::min(budget, sizeof buf), &n) != 1) {
        if (SSL_get_error(client_, 0) == SSL_ERROR_ZERO_RETURN) close_notify_seen_ = true;
        break;
      }
      received_.append(buf, n);
      budget -= n;
    }
    ERR_clear_error();
  }

  int fds_[2] = {-1, -1};
  SSL_CTX* client_ctx_ = nullptr;
  SSL* client_ = nullptr;
  std::size_t sent_ = 0;
  std::string received_;
  bool close_notify_seen_ = false;
};

TEST_F(TlsTransportOverSocket, a_done_response_waits_for_its_gathered_records_then_closes) {
  testing::TestSite site;
  // Whole 64 KiB blocks and a 5-byte tail: the tail is sealed while earlier records wait.
  std::string body(16 * 64 * 1024 + 5, '\0');
  for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>('a' + i * 7 % 26);
  site.files().write("big.bin", body);
  const std::unique_ptr<Connection> c = site.connect();
  TlsTransport tls(testing::test_tls_context()->get());
  ASSERT_TRUE(tls.valid());
  ASSERT_TRUE(tls.set_socket(fds_[0]));
  const std::string request =
      "GET /files/big.bin HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

  bool held_when_done = false;  // the case the worker's wait exists for
  bool notified = false;
  for (int turn = 0; turn < 200000 && !close_notify_seen_; ++turn) {
    client_turn(request, 2048);
    if (notified) continue;  // the client reads on until the close_notify
    tls.receive(*c);
    ASSERT_TRUE(tls.send(*c));
    if (c->done()) {
      ASSERT_NE(c->state(), Connection::State::closed);
      if (tls.holds_unsent()) {
        held_when_done = true;
        EXPECT_TRUE(tls.wants_write());  // the worker keeps write interest meanwhile
        continue;                        // the worker waits: no close_notify yet
      }
      tls.close_notify();
      notified = true;
    }
  }
  EXPECT_TRUE(held_when_done) << "the socket never held the last records back";
  ASSERT_TRUE(close_notify_seen_) << received_.size() << " bytes, no close_notify";
  const std::size_t head_end = received_.find("\r\n\r\n");
  ASSERT_NE(head_end, std::string::npos);
  EXPECT_EQ(received_.compare(0, 13, "HTTP/1.1 200 "), 0) << received_.substr(0, 200);
  EXPECT_EQ(received_.size() - head_end - 4, body.size());
  EXPECT_TRUE(received_.substr(head_end + 4) == body);
}

}  // namespace
}  // namespace httpfsm::server
