// ProxyPrelude over a real socket pair: the header is taken off the socket exactly, whatever
// follows it (a ClientHello) stays queued, pieces are put together, and a bad header, an EOF
// or a header that never ends fail.
#include "proxy_prelude.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <string_view>

namespace httpfsm::server {
namespace {

class ProxyPreludeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds_), 0);
  }
  void TearDown() override {
    ::close(fds_[0]);
    if (fds_[1] >= 0) ::close(fds_[1]);
  }
  void send(std::string_view bytes) {
    ASSERT_EQ(::write(fds_[1], bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  }
  std::string left_on_socket() {
    char buf[4096];
    const ssize_t n = ::recv(fds_[0], buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
  }
  int server() const { return fds_[0]; }
  void close_client() {
    ::close(fds_[1]);
    fds_[1] = -1;
  }

 private:
  int fds_[2] = {-1, -1};
};

constexpr std::string_view kHello = "\x16\x03\x01\x00\x05hello";  // stands for a ClientHello

TEST_F(ProxyPreludeTest, v1_header_is_taken_exactly_and_the_rest_stays) {
  ProxyPrelude p;
  send("PROXY TCP4 203.0.113.7 192.0.2.1 51000 443\r\n" + std::string(kHello));
  ASSERT_EQ(p.read(server()), ProxyPrelude::Status::complete);
  EXPECT_EQ(p.header().source_port, 51000);
  EXPECT_EQ(p.header().source_address[0], 203);
  EXPECT_EQ(left_on_socket(), kHello);
}

TEST_F(ProxyPreludeTest, v2_header_in_pieces) {
  std::string header("\r\n\r\n\0\r\nQUIT\n", 12);
  header += std::string("\x21\x11\x00\x0c", 4);                  // PROXY, TCP over IPv4, 12 bytes
  header += std::string("\xc6\x33\x64\x09\x7f\x00\x00\x01", 8);  // 198.51.100.9 -> 127.0.0.1
  header += std::string("\x9c\x40\x01\xbb", 4);                  // 40000 -> 443
  ProxyPrelude p;
  send(header.substr(0, 5));
  EXPECT_EQ(p.read(server()), ProxyPrelude::Status::need_more);
  EXPECT_EQ(left_on_socket(), "");  // what was read is the prelude's, nothing left queued
  send(header.substr(5, 13));
  EXPECT_EQ(p.read(server()), ProxyPrelude::Status::need_more);
  send(header.substr(18) + std::string(kHello));
  ASSERT_EQ(p.read(server()), ProxyPrelude::Status::complete);
  EXPECT_EQ(p.header().source_port, 40000);
  EXPECT_EQ(p.header().source_address[0], 198);
  EXPECT_EQ(left_on_socket(), kHello);
}

TEST_F(ProxyPreludeTest, a_client_hello_without_a_header_fails) {
  ProxyPrelude p;
  send(kHello);
  EXPECT_EQ(p.read(server()), ProxyPrelude::Status::failed);
}

TEST_F(ProxyPreludeTest, eof_before_the_header_ends_fails) {
  ProxyPrelude p;
  send("PROXY TCP4 203.0.113.7");
  EXPECT_EQ(p.read(server()), ProxyPrelude::Status::need_more);
  close_client();
  EXPECT_EQ(p.read(server()), ProxyPrelude::Status::failed);
}

TEST_F(ProxyPreludeTest, a_v1_line_without_its_crlf_in_107_bytes_fails) {
  ProxyPrelude p;
  send("PROXY TCP4 " + std::string(120, '1'));
  EXPECT_EQ(p.read(server()), ProxyPrelude::Status::failed);
}

}  // namespace
}  // namespace httpfsm::server
