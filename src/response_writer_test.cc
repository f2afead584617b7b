#include "httpfsm/response_writer.hpp"

#include <gtest/gtest.h>

#include <span>
#include <string>

namespace httpfsm {
namespace {

TEST(ResponseWriter, writes_status_fields_and_framing) {
  char buf[256];
  ResponseWriter w(buf);
  const std::size_t n =
      w.status(404).date(784111777).field("Content-Type", "text/plain").content_length(9).finish();
  EXPECT_EQ(std::string(buf, n),
            "HTTP/1.1 404 Not Found\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
            "Content-Type: text/plain\r\nContent-Length: 9\r\n\r\n");
}

TEST(ResponseWriter, writes_chunked_framing) {
  char buf[64];
  const std::size_t n = ResponseWriter(buf).status(200).chunked().finish();
  EXPECT_EQ(std::string(buf, n), "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
  char chunk[18];
  EXPECT_EQ(std::string(chunk, write_chunk_header(0x1a2b, chunk)), "1a2b\r\n");
  EXPECT_EQ(std::string(chunk, write_chunk_header(UINT64_MAX, chunk)), "ffffffffffffffff\r\n");
  char tiny[3];
  EXPECT_EQ(write_chunk_header(0x1a2b, tiny), 0u);
}

TEST(ResponseWriter, refuses_response_splitting) {
  char buf[128];
  EXPECT_EQ(ResponseWriter(buf).status(200).field("X", "a\r\nSet-Cookie: x").finish(), 0u);
  EXPECT_EQ(ResponseWriter(buf).status(200).field("X", std::string_view("a\0b", 3)).finish(), 0u);
  EXPECT_EQ(ResponseWriter(buf).status(200).field("X\r\nY", "v").finish(), 0u);
  EXPECT_EQ(ResponseWriter(buf).status(200).field("", "v").finish(), 0u);
  EXPECT_EQ(ResponseWriter(buf).status(200, "OK\r\nX: y").finish(), 0u);
  EXPECT_NE(ResponseWriter(buf).status(200).field("X", "tab\tand obs-text \xe9").finish(), 0u);
}

// Found by ResponseWriterProperty.output_reads_back_with_the_same_status_fields_and_framing:
// "HTTP/1.1 100 Continue" with "Transfer-Encoding: chunked" was written. RFC 9110 §8.6 and
// RFC 9112 §6.1: a server MUST NOT send Content-Length or Transfer-Encoding in 1xx or 204.
TEST(ResponseWriter, refuses_framing_fields_in_1xx_and_204) {
  char buf[128];
  EXPECT_EQ(ResponseWriter(buf).status(100).chunked().finish(), 0u);
  EXPECT_EQ(ResponseWriter(buf).status(101).field("transfer-encoding", "chunked").finish(), 0u);
  EXPECT_EQ(ResponseWriter(buf).status(204).content_length(0).finish(), 0u);
  EXPECT_EQ(ResponseWriter(buf).status(199).field("Content-Length", "0").finish(), 0u);
  // 304 may carry Content-Length (RFC 9110 §8.6); other statuses either framing.
  EXPECT_NE(ResponseWriter(buf).status(304).content_length(5).finish(), 0u);
  EXPECT_NE(ResponseWriter(buf).status(200).content_length(0).finish(), 0u);
  EXPECT_NE(ResponseWriter(buf).status(205).chunked().finish(), 0u);
}

TEST(ResponseWriter, judges_every_byte_of_long_names_and_values) {
  // Long enough for the 16-byte steps and their overlapping tail: a forbidden byte is found
  // wherever it sits, and HTAB is allowed anywhere in a value.
  char buf[256];
  for (std::size_t n : {15u, 16u, 17u, 31u, 40u}) {
    for (std::size_t at = 0; at < n; ++at) {
      for (char bad : {'\r', '\n', '\0', '\x7f', '\x01'}) {
        std::string value(n, 'v');
        value[at] = bad;
        EXPECT_EQ(ResponseWriter(buf).status(200).field("X", value).finish(), 0u) << n << " " << at;
      }
      std::string tabbed(n, 'v');
      tabbed[at] = '\t';
      EXPECT_NE(ResponseWriter(buf).status(200).field("X", tabbed).finish(), 0u) << n << " " << at;
      for (char bad : {' ', ':', '\r', '@'}) {
        std::string name(n, 'n');
        name[at] = bad;
        EXPECT_EQ(ResponseWriter(buf).status(200).field(name, "v").finish(), 0u) << n << " " << at;
      }
      std::string rare(n, 'n');
      rare[at] = '~';  // a tchar outside letters, digits and "-"
      EXPECT_NE(ResponseWriter(buf).status(200).field(rare, "v").finish(), 0u) << n << " " << at;
    }
  }
}

TEST(ResponseWriter, fails_cleanly_when_out_of_room) {
  char buf[20];
  ResponseWriter w(buf);
  w.status(200).field("Content-Type", "text/plain");
  EXPECT_FALSE(w.ok());
  EXPECT_EQ(w.finish(), 0u);
  EXPECT_LE(w.size(), sizeof buf);
}

TEST(ResponseWriter, fits_exactly_or_fails_at_every_buffer_size) {
  // Each line is bounds-checked once as a whole: a buffer one byte short of any line fails,
  // one of the exact size succeeds, and nothing is written past the end.
  const std::string want =
      "HTTP/1.1 404 Not Found\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nX: v\r\n"
      "Connection: close\r\nContent-Length: 9\r\n\r\n";
  for (std::size_t size = 0; size <= want.size(); ++size) {
    std::string buf(size + 8, '#');
    ResponseWriter w(std::span<char>(buf.data(), size));
    const std::size_t n = w.status(404)
                              .date(784111777)
                              .field("X", "v")
                              .trusted_field("Connection", "close")
                              .content_length(9)
                              .finish();
    EXPECT_EQ(n, size == want.size() ? want.size() : 0u) << size;
    EXPECT_LE(w.size(), size);
    EXPECT_EQ(buf.substr(size), std::string(8, '#')) << size;
    if (n != 0) {
      EXPECT_EQ(buf.substr(0, n), want);
    }
  }
}

TEST(ResponseWriter, trusted_field_writes_what_field_writes) {
  char a[128];
  char b[128];
  const std::size_t n = ResponseWriter(a).status(200).field("Vary", "Accept-Encoding").finish();
  const std::size_t m =
      ResponseWriter(b).status(200).trusted_field("Vary", "Accept-Encoding").finish();
  EXPECT_EQ(std::string(a, n), std::string(b, m));
  EXPECT_EQ(std::string(b, m), "HTTP/1.1 200 OK\r\nVary: Accept-Encoding\r\n\r\n");
  // A caller's reason is still checked; the standard phrase of an unknown code is empty.
  EXPECT_EQ(ResponseWriter(a).status(200, "Fine").finish(), 21u);
  EXPECT_EQ(std::string(a, 21), "HTTP/1.1 200 Fine\r\n\r\n");
}

TEST(ResponseWriter, rejects_impossible_status_codes) {
  char buf[64];
  EXPECT_EQ(ResponseWriter(buf).status(99).finish(), 0u);
  EXPECT_EQ(ResponseWriter(buf).status(1000).finish(), 0u);
  const std::size_t n = ResponseWriter(buf).status(599).finish();
  EXPECT_EQ(std::string(buf, n), "HTTP/1.1 599 \r\n\r\n");  // unknown code: empty reason
}

TEST(ReasonPhrase, follows_rfc9110_15) {
  EXPECT_EQ(reason_phrase(200), "OK");
  EXPECT_EQ(reason_phrase(413), "Content Too Large");
  EXPECT_EQ(reason_phrase(414), "URI Too Long");
  EXPECT_EQ(reason_phrase(416), "Range Not Satisfiable");
  EXPECT_EQ(reason_phrase(431), "Request Header Fields Too Large");
  EXPECT_EQ(reason_phrase(505), "HTTP Version Not Supported");
  EXPECT_EQ(reason_phrase(299), "");
}

}  // namespace
}  // namespace httpfsm
