// The gathering write BIO (tls_gather_bio.hpp) over a socketpair: records wait until the
// buffer fills or is flushed, a full socket is a retry that keeps every byte, a failed
// socket is an error, and the bytes arrive whole and in order.
#include "tls_gather_bio.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace httpfsm::server {
namespace {

// A record-sized piece as OpenSSL writes it: 16 KiB of payload, header and tag.
constexpr std::size_t kRecord = 16384 + 22;

class GatherBio : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds_), 0);
    ASSERT_EQ(::fcntl(fds_[0], F_SETFL, O_NONBLOCK), 0);
    ASSERT_EQ(::fcntl(fds_[1], F_SETFL, O_NONBLOCK), 0);
    bio_ = new_gather_bio(fds_[0]);
    ASSERT_NE(bio_, nullptr);
  }
  void TearDown() override {
    BIO_free(bio_);
    if (fds_[0] >= 0) ::close(fds_[0]);
    if (fds_[1] >= 0) ::close(fds_[1]);
  }
  // Everything the peer can read now.
  std::string drain() {
    std::string got;
    char buf[65536];
    for (;;) {
      const ssize_t n = ::recv(fds_[1], buf, sizeof buf, 0);
      if (n <= 0) return got;
      got.append(buf, static_cast<std::size_t>(n));
    }
  }
  static std::string piece(std::size_t i) {
    std::string s(kRecord, '\0');
    for (std::size_t k = 0; k < s.size(); ++k) s[k] = static_cast<char>('a' + (i * 7 + k) % 26);
    return s;
  }
  int fds_[2] = {-1, -1};
  BIO* bio_ = nullptr;
};

TEST_F(GatherBio, records_wait_for_a_flush_then_arrive_together) {
  std::string sent;
  for (std::size_t i = 0; i < 3; ++i) {
    const std::string p = piece(i);
    std::size_t n = 0;
    ASSERT_EQ(BIO_write_ex(bio_, p.data(), p.size(), &n), 1);
    EXPECT_EQ(n, p.size());
    sent += p;
  }
  EXPECT_EQ(drain(), "");  // gathered, not sent
  EXPECT_EQ(BIO_wpending(bio_), static_cast<long>(sent.size()));
  EXPECT_EQ(BIO_flush(bio_), 1);
  EXPECT_EQ(BIO_wpending(bio_), 0);
  EXPECT_EQ(drain(), sent);
}

TEST_F(GatherBio, a_full_buffer_is_sent_before_more_is_taken) {
  std::string sent;
  std::string got;
  for (std::size_t i = 0; i < 5; ++i) {  // five records overflow the 64 KiB buffer once
    const std::string p = piece(i);
    std::size_t n = 0;
    ASSERT_EQ(BIO_write_ex(bio_, p.data(), p.size(), &n), 1);
    ASSERT_EQ(n, p.size());
    sent += p;
  }
  got = drain();
  EXPECT_EQ(got.size(), kTlsGatherBytes);  // one buffer's worth went out, the rest waits
  EXPECT_EQ(BIO_wpending(bio_), static_cast<long>(sent.size() - kTlsGatherBytes));
  ASSERT_EQ(BIO_flush(bio_), 1);
  got += drain();
  EXPECT_EQ(got, sent);
}

TEST_F(GatherBio, a_full_socket_is_a_retry_that_loses_nothing) {
  int small = 4096;
  ASSERT_EQ(::setsockopt(fds_[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof small), 0);
  std::string sent;
  std::string got;
  bool saw_write_retry = false;
  for (std::size_t i = 0; i < 64; ++i) {  // 1 MiB through a socket that holds a few KiB
    const std::string p = piece(i);
    std::size_t off = 0;
    while (off < p.size()) {
      std::size_t n = 0;
      if (BIO_write_ex(bio_, p.data() + off, p.size() - off, &n) == 1) {
        ASSERT_GT(n, 0u);
        off += n;
        continue;
      }
      ASSERT_TRUE(BIO_should_retry(bio_)) << "a full socket is not an error";
      ASSERT_TRUE(BIO_should_write(bio_));
      saw_write_retry = true;
      got += drain();  // the peer reads: room again
    }
    sent += p;
  }
  for (;;) {
    const int r = BIO_flush(bio_);
    if (r == 1) break;
    ASSERT_EQ(r, 0);
    ASSERT_TRUE(BIO_should_retry(bio_));
    got += drain();
  }
  got += drain();
  EXPECT_TRUE(saw_write_retry);  // 1 MiB cannot fit: the socket filled at least once
  EXPECT_EQ(got.size(), sent.size());
  EXPECT_EQ(got, sent);
}

TEST_F(GatherBio, a_closed_peer_is_an_error_not_a_retry) {
  const std::string p = piece(0);
  std::size_t n = 0;
  ASSERT_EQ(BIO_write_ex(bio_, p.data(), p.size(), &n), 1);  // gathered
  ::close(fds_[1]);
  fds_[1] = -1;
  EXPECT_EQ(BIO_flush(bio_), -1);
  EXPECT_FALSE(BIO_should_retry(bio_));
}

TEST_F(GatherBio, an_empty_flush_succeeds_and_sends_nothing) {
  EXPECT_EQ(BIO_flush(bio_), 1);
  EXPECT_EQ(BIO_wpending(bio_), 0);
  EXPECT_EQ(drain(), "");
}

}  // namespace
}  // namespace httpfsm::server
