// The framing fields ResponseWriter lets through (RFC 9112 §6.1, §6.2): the transfer codings
// of one response apply chunked at most once, and Content-Length never goes beside
// Transfer-Encoding, whichever way they are written (chunked(), content_length() or field()).
#include <gtest/gtest.h>

#include <string>

#include "httpfsm/response_writer.hpp"

namespace httpfsm {
namespace {

// Regression: chunked() twice wrote "Transfer-Encoding: chunked" twice, a body chunked twice
// by the header's account. RFC 9112 §6.1: "A sender MUST NOT apply the chunked transfer coding
// more than once to a message body".
TEST(ResponseWriterFraming, refuses_chunked_applied_twice) {
  char buf[256];
  EXPECT_EQ(ResponseWriter(buf).status(200).chunked().chunked().finish(), 0u);
  EXPECT_EQ(
      ResponseWriter(buf).status(200).field("Transfer-Encoding", "chunked").chunked().finish(), 0u);
  EXPECT_EQ(
      ResponseWriter(buf).status(200).chunked().field("transfer-encoding", "CHUNKED").finish(), 0u);
  EXPECT_EQ(ResponseWriter(buf).status(200).field("Transfer-Encoding", "chunked, chunked").finish(),
            0u);
  EXPECT_EQ(ResponseWriter(buf)
                .status(200)
                .field("Transfer-Encoding", "gzip,chunked ,\tChunked")
                .finish(),
            0u);
}

TEST(ResponseWriterFraming, takes_chunked_once_after_other_codings) {
  char buf[256];
  // RFC 9112 §6.1: other codings, then chunked as the final one, in one line or several.
  std::size_t n =
      ResponseWriter(buf).status(200).field("Transfer-Encoding", "gzip").chunked().finish();
  EXPECT_EQ(std::string(buf, n),
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n");
  n = ResponseWriter(buf).status(200).field("Transfer-Encoding", "gzip, chunked").finish();
  EXPECT_EQ(std::string(buf, n), "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n");
  // Empty list elements (RFC 9110 §5.6.1) are no coding at all.
  n = ResponseWriter(buf).status(200).field("Transfer-Encoding", ", chunked,").finish();
  EXPECT_NE(n, 0u);
  // A coding whose name only starts or ends like "chunked" is another coding.
  EXPECT_NE(
      ResponseWriter(buf).status(200).field("Transfer-Encoding", "chunkedx").chunked().finish(),
      0u);
  EXPECT_NE(
      ResponseWriter(buf).status(200).field("Transfer-Encoding", "xchunked").chunked().finish(),
      0u);
}

// RFC 9112 §6.2: "A sender MUST NOT send a Content-Length header field in any message that
// contains a Transfer-Encoding header field."
TEST(ResponseWriterFraming, refuses_content_length_beside_transfer_encoding) {
  char buf[256];
  EXPECT_EQ(ResponseWriter(buf).status(200).chunked().content_length(5).finish(), 0u);
  EXPECT_EQ(ResponseWriter(buf).status(200).content_length(5).chunked().finish(), 0u);
  EXPECT_EQ(ResponseWriter(buf)
                .status(200)
                .field("Content-Length", "5")
                .field("Transfer-Encoding", "gzip")
                .finish(),
            0u);
  EXPECT_EQ(ResponseWriter(buf)
                .status(200)
                .field("transfer-encoding", "gzip")
                .field("CONTENT-LENGTH", "0")
                .finish(),
            0u);
  // Each alone is fine, and so are other fields with similar names.
  EXPECT_NE(
      ResponseWriter(buf).status(200).content_length(5).field("Content-Lengths", "1").finish(), 0u);
  EXPECT_NE(ResponseWriter(buf).status(200).chunked().field("Content-Lengt", "1").finish(), 0u);
  EXPECT_NE(
      ResponseWriter(buf).status(200).chunked().field("Transfer-Encodings", "chunked").finish(),
      0u);
}

// A refused framing field leaves the writer failed: nothing more is written, finish() gives 0.
TEST(ResponseWriterFraming, a_refused_framing_field_writes_nothing_more) {
  char buf[256];
  ResponseWriter w(buf);
  w.status(200).chunked();
  const std::size_t before = w.size();
  w.chunked().field("X", "y");
  EXPECT_FALSE(w.ok());
  EXPECT_EQ(w.size(), before);
  EXPECT_EQ(w.finish(), 0u);
}

}  // namespace
}  // namespace httpfsm
