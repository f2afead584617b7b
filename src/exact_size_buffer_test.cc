// Exact sizes (issue 19): writers into buffers of exactly the size they need, and one byte
// less; parsers fed input that ends exactly at the end of its allocation; every limit at
// N-1, N and N+1 for an input whose measured part is exactly N bytes (or lines). Buffers are
// heap blocks of the exact size, so under ASan (the asan preset) a read or write one byte past
// the end is a failure, not a quiet read of the next byte.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "httpfsm/body_decoder.hpp"
#include "httpfsm/head_parser.hpp"
#include "httpfsm/http_date.hpp"
#include "httpfsm/request_writer.hpp"
#include "httpfsm/response_head_parser.hpp"
#include "httpfsm/response_writer.hpp"
#include "httpfsm/set_cookie.hpp"
#include "httpfsm/websocket_frame.hpp"

namespace httpfsm {
namespace {

// A heap block of exactly `bytes.size()` bytes holding `bytes`: nothing readable after it.
struct Exact {
  explicit Exact(std::string_view bytes) : size(bytes.size()), data(new char[bytes.size()]) {
    if (size != 0) std::memcpy(data.get(), bytes.data(), size);
  }
  explicit Exact(std::size_t n) : size(n), data(new char[n]) {}
  std::span<char> span() { return {data.get(), size}; }
  std::string_view view() const { return {data.get(), size}; }
  std::size_t size;
  std::unique_ptr<char[]> data;
};

// ---- writers ----

// RFC 9110 §5.6.7: IMF-fixdate is always 29 bytes; the first and last dates of the range.
TEST(ExactSize, http_date_fills_exactly_its_29_bytes) {
  for (std::int64_t t : {std::int64_t{0}, std::int64_t{784111777}, std::int64_t{253402300799}}) {
    Exact out(kHttpDateSize);
    format_http_date(t, std::span<char, kHttpDateSize>(out.data.get(), kHttpDateSize));
    EXPECT_EQ(out.view().size(), 29u);
    EXPECT_EQ(out.view().substr(26), "GMT");
    EXPECT_EQ(parse_http_date(out.view()), t) << out.view();
  }
  Exact out(kHttpDateSize);
  format_http_date(253402300799, std::span<char, kHttpDateSize>(out.data.get(), kHttpDateSize));
  EXPECT_EQ(out.view(), "Fri, 31 Dec 9999 23:59:59 GMT");
}

// RFC 9112 §4 status-line and §5 field lines: a head of N bytes fits N bytes exactly and
// fails in N-1 without writing past it; the status line alone likewise.
TEST(ExactSize, response_head_fits_exactly_and_fails_one_byte_short) {
  const auto write = [](std::span<char> out) {
    return ResponseWriter(out)
        .status(431)
        .date(784111777)
        .field("Content-Type", "text/plain")
        .content_length(18446744073709551615ull)
        .finish();
  };
  const std::string expected =
      "HTTP/1.1 431 Request Header Fields Too Large\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
      "Content-Type: text/plain\r\nContent-Length: 18446744073709551615\r\n\r\n";
  Exact exact(expected.size());
  ASSERT_EQ(write(exact.span()), expected.size());
  EXPECT_EQ(exact.view(), expected);
  for (std::size_t n : {expected.size() - 1, expected.size() - 2, std::size_t{0}}) {
    Exact shorter(n);
    EXPECT_EQ(write(shorter.span()), 0u) << n;
  }
  const std::string line = "HTTP/1.1 200 OK\r\n";
  Exact status(line.size());
  ResponseWriter w(status.span());
  w.status(200);
  EXPECT_TRUE(w.ok());
  EXPECT_EQ(w.size(), line.size());
  EXPECT_EQ(status.view(), line);
  Exact short_status(line.size() - 1);
  EXPECT_FALSE(ResponseWriter(short_status.span()).status(200).ok());
}

// RFC 9112 §7.1: the longest chunk-size line is 16 hex digits and CRLF, 18 bytes.
TEST(ExactSize, chunk_header_fits_exactly_and_fails_one_byte_short) {
  for (std::uint64_t size :
       {std::uint64_t{0}, std::uint64_t{0xf}, std::uint64_t{0x10}, std::uint64_t{UINT64_MAX}}) {
    char hex[17];
    const int digits =
        std::snprintf(hex, sizeof hex, "%llx", static_cast<unsigned long long>(size));
    const std::size_t n = static_cast<std::size_t>(digits) + 2;
    Exact exact(n);
    ASSERT_EQ(write_chunk_header(size, exact.span()), n) << size;
    EXPECT_EQ(exact.view(), std::string(hex) + "\r\n");
    Exact shorter(n - 1);
    EXPECT_EQ(write_chunk_header(size, shorter.span()), 0u) << size;
  }
}

// The request writer: exactly request_head_size() bytes suffice, one fewer does not.
TEST(ExactSize, request_head_fits_exactly_its_announced_size) {
  const std::string request =
      "POST /upload?x=1 HTTP/1.1\r\nHost: example.com\r\nContent-Length: 3\r\nX-Empty:\r\n\r\n";
  HeadParser p;
  ASSERT_EQ(p.parse(request), Progress::complete);
  const std::size_t n = request_head_size(p.head());
  Exact exact(n);
  ASSERT_EQ(write_request_head(request, p.head(), exact.span()), n);
  EXPECT_EQ(
      exact.view(),
      "POST /upload?x=1 HTTP/1.1\r\nHost: example.com\r\nContent-Length: 3\r\nX-Empty: \r\n\r\n");
  Exact shorter(n - 1);
  EXPECT_EQ(write_request_head(request, p.head(), shorter.span()), 0u);
}

// RFC 6265 §4.1: a Set-Cookie value written into exactly its size; one byte less is
// buffer_too_small, never a write past the end.
TEST(ExactSize, set_cookie_fits_exactly_and_fails_one_byte_short) {
  SetCookie c;
  c.name = "sid";
  c.value = "abc";
  c.expires = 784111777;
  c.max_age = 3600;
  c.path = "/";
  c.secure = true;
  c.http_only = true;
  c.same_site = SameSite::strict;
  std::vector<char> roomy(set_cookie_size_bound(c));
  const SetCookieResult full = write_set_cookie(c, roomy);
  ASSERT_EQ(full.error, SetCookieError::none);
  const std::string expected(roomy.data(), full.size);
  Exact exact(full.size);
  const SetCookieResult r = write_set_cookie(c, exact.span());
  ASSERT_EQ(r.error, SetCookieError::none);
  EXPECT_EQ(r.size, full.size);
  EXPECT_EQ(exact.view(), expected);
  Exact shorter(full.size - 1);
  EXPECT_EQ(write_set_cookie(c, shorter.span()).error, SetCookieError::buffer_too_small);
}

// RFC 6455 §5.2: frame headers at each length-encoding boundary (125/126, 65535/65536) fit
// exactly frame_header_size() bytes, masked or not; whole frames likewise.
TEST(ExactSize, websocket_frames_fit_exactly_their_announced_size) {
  for (std::uint64_t len : {std::uint64_t{0}, std::uint64_t{125}, std::uint64_t{126},
                            std::uint64_t{65535}, std::uint64_t{65536}}) {
    for (bool masked : {false, true}) {
      FrameFields f;
      f.opcode = Opcode::binary;
      f.payload_length = len;
      f.masked = masked;
      f.key = {1, 2, 3, 4};
      const std::size_t n = frame_header_size(len, masked);
      EXPECT_EQ(n, (len < 126 ? 2u : len < 65536 ? 4u : 10u) + (masked ? 4u : 0u));
      Exact header(n);
      EXPECT_EQ(write_frame_header(header.span(), f), n) << len;
      const std::string payload(len, 'p');
      Exact frame(n + len);
      EXPECT_EQ(write_frame(frame.span(), f, payload), n + len) << len;
      EXPECT_EQ(std::memcmp(frame.data.get(), header.data.get(), n), 0) << len;
    }
  }
}

// ---- parsers: input that ends exactly at the end of its allocation ----

// Every prefix of a request, each in a block of exactly its size, read whole: need_more until
// the last byte, complete at it (the head ends at the end of the buffer). The field lines
// are long enough for the 16-byte steps of the fast paths, whose tail reads end at the
// buffer's last byte.
TEST(ExactSize, request_heads_ending_at_the_end_of_the_buffer) {
  const std::string request =
      "GET /a/long/enough/target?with=query HTTP/1.1\r\nHost: example.com\r\n"
      "User-Agent: exact-size-test/1.0 (x)\r\nAccept-Encoding: gzip, br\r\nX-A: "
      "0123456789abcdef\r\n"
      "X-B:\t\tvalue with tabs\t\r\n\r\n";
  for (std::size_t n = 1; n <= request.size(); ++n) {
    Exact in(std::string_view(request).substr(0, n));
    HeadParser p;
    const Progress got = p.parse(in.view());
    ASSERT_EQ(got, n == request.size() ? Progress::complete : Progress::need_more) << n;
    if (got == Progress::complete) {
      EXPECT_EQ(p.consumed(), request.size());
      EXPECT_EQ(p.head().fields.size(), 5u);
      EXPECT_EQ(p.head().value(in.view(), KnownField::host), "example.com");
    }
  }
}

TEST(ExactSize, response_heads_ending_at_the_end_of_the_buffer) {
  const std::string response =
      "HTTP/1.1 200 OK with a longer reason\r\nContent-Length: 12\r\nServer: exact-size/1.0\r\n"
      "X-Long-Field-Name-Here: 0123456789abcdef0123\r\n\r\n";
  for (std::size_t n = 1; n <= response.size(); ++n) {
    Exact in(std::string_view(response).substr(0, n));
    ResponseHeadParser p;
    const Progress got = p.parse(in.view());
    ASSERT_EQ(got, n == response.size() ? Progress::complete : Progress::need_more) << n;
    if (got == Progress::complete) {
      EXPECT_EQ(p.head().status, 200);
      EXPECT_EQ(p.head().framing, Framing::content_length);
      EXPECT_EQ(p.head().content_length, 12u);
    }
  }
}

// RFC 9112 §7.1: a chunked body (with extension and trailer) whose every prefix ends at the
// end of its block: the decoder reads no byte after it and completes only with the last.
TEST(ExactSize, chunked_bodies_ending_at_the_end_of_the_buffer) {
  const std::string body =
      "10;name=value\r\n0123456789abcdef\r\n1\r\nx\r\n0\r\nX-Checksum: 0123456789abcdef\r\n\r\n";
  for (std::size_t n = 1; n <= body.size(); ++n) {
    Exact in(std::string_view(body).substr(0, n));
    BodyDecoder d;
    d.start(Framing::chunked);
    std::string content;
    std::span<const char> rest(in.data.get(), n);
    for (;;) {
      const BodyStep s = d.decode(rest);
      content.append(s.data.data(), s.data.size());
      rest = rest.subspan(s.consumed);
      if (s.progress != Progress::need_more || s.consumed == 0) break;
    }
    ASSERT_EQ(d.progress(), n == body.size() ? Progress::complete : Progress::need_more) << n;
    if (n == body.size()) {
      EXPECT_EQ(content, "0123456789abcdefx");
      ASSERT_EQ(d.trailers().size(), 1u);
    }
  }
}

// ---- limits at N-1, N and N+1 ----

// Parses `request` whole and byte by byte under `limits`; both must agree.
struct Outcome {
  Progress progress;
  Error error;
};
Outcome parse_request(const std::string& request, const Limits& limits) {
  Exact in(request);
  HeadParser whole(limits);
  const Progress p = whole.parse(in.view());
  HeadParser bytewise(limits);
  Progress q = Progress::need_more;
  for (std::size_t n = 1; n <= request.size() && q == Progress::need_more; ++n) {
    q = bytewise.parse(std::string_view(in.data.get(), n));
  }
  EXPECT_EQ(p, q) << request;
  EXPECT_EQ(whole.error(), bytewise.error()) << request;
  return {p, whole.error()};
}

// `request` has a part of exactly `n` (bytes or lines) measured by `member`: at limit n and
// n+1 it completes, at n-1 it fails with `error`, unless n-1 is below the smallest value the
// parser takes (kMinimumLimits), to which it is raised.
void expect_limit_at(const std::string& request, std::uint32_t Limits::*member, std::uint32_t n,
                     Error error) {
  for (std::uint32_t limit : {n - 1, n, n + 1}) {
    Limits l;
    l.*member = limit;
    const Outcome o = parse_request(request, l);
    if (std::max(limit, kMinimumLimits.*member) < n) {
      EXPECT_EQ(o.progress, Progress::failed) << "limit " << limit << ": " << request;
      EXPECT_EQ(o.error, error) << "limit " << limit << ": " << request;
    } else {
      EXPECT_EQ(o.progress, Progress::complete) << "limit " << limit << ": " << request;
    }
  }
}

// RFC 9112 §3: "A server that receives a method longer than any that it implements SHOULD
// respond with a 501"; the method token of exactly max_method bytes is taken.
TEST(ExactSize, method_limit_at_n_minus_one_n_and_n_plus_one) {
  for (std::uint32_t n : {1u, 7u, 8u, 16u, 17u, 32u}) {
    expect_limit_at(std::string(n, 'M') + " / HTTP/1.1\r\nHost: a\r\n\r\n", &Limits::max_method, n,
                    Error::method_too_long);
  }
}

// RFC 9112 §3: a target longer than the server will parse is 414.
TEST(ExactSize, target_limit_at_n_minus_one_n_and_n_plus_one) {
  for (std::uint32_t n : {1u, 2u, 15u, 16u, 17u, 100u}) {
    expect_limit_at("GET /" + std::string(n - 1, 't') + " HTTP/1.1\r\nHost: a\r\n\r\n",
                    &Limits::max_target, n, Error::target_too_long);
  }
}

// RFC 6585 §5: max_field_line counts one field line with its CRLF.
TEST(ExactSize, field_line_limit_at_n_minus_one_n_and_n_plus_one) {
  for (std::uint32_t n : {16u, 17u, 31u, 32u, 33u, 200u}) {
    const std::string line = "X-F: " + std::string(n - 7, 'v') + "\r\n";
    ASSERT_EQ(line.size(), n);
    expect_limit_at("GET / HTTP/1.1\r\nHost: a\r\n" + line + "\r\n", &Limits::max_field_line, n,
                    Error::field_too_long);
  }
}

// RFC 6585 §5: max_fields counts the field lines of the head, Host included.
TEST(ExactSize, field_count_limit_at_n_minus_one_n_and_n_plus_one) {
  for (std::uint32_t n : {2u, 3u, 10u, 100u}) {
    std::string request = "GET / HTTP/1.1\r\nHost: a\r\n";
    for (std::uint32_t i = 1; i < n; ++i) request += "X-" + std::to_string(i) + ": v\r\n";
    expect_limit_at(request + "\r\n", &Limits::max_fields, n, Error::too_many_fields);
  }
}

// RFC 6585 §5: max_head counts the whole head, from the first byte to the empty line's LF.
TEST(ExactSize, head_limit_at_n_minus_one_n_and_n_plus_one) {
  for (std::size_t pad :
       {std::size_t{0}, std::size_t{1}, std::size_t{15}, std::size_t{16}, std::size_t{100}}) {
    const std::string request =
        "GET / HTTP/1.1\r\nHost: a\r\nX: " + std::string(pad, 'h') + "\r\n\r\n";
    expect_limit_at(request, &Limits::max_head, static_cast<std::uint32_t>(request.size()),
                    Error::head_too_large);
  }
}

// RFC 9110 §15.5.14: a Content-Length of exactly max_body is taken; one more is 413.
TEST(ExactSize, body_limit_at_n_minus_one_n_and_n_plus_one) {
  for (std::uint64_t n : {std::uint64_t{1}, std::uint64_t{16}, std::uint64_t{1000}}) {
    const std::string request =
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: " + std::to_string(n) + "\r\n\r\n";
    for (std::uint64_t limit : {n - 1, n, n + 1}) {
      Limits l;
      l.max_body = limit;
      const Outcome o = parse_request(request, l);
      EXPECT_EQ(o.progress, limit < n ? Progress::failed : Progress::complete) << limit;
      if (limit < n) {
        EXPECT_EQ(o.error, Error::body_too_large) << limit;
      }
    }
  }
  // A chunked body of exactly n content bytes, in chunks of 8: n-1 fails as it arrives.
  for (std::uint64_t n : {std::uint64_t{8}, std::uint64_t{17}}) {
    std::string body;
    for (std::uint64_t left = n; left > 0;) {
      const std::uint64_t chunk = left < 8 ? left : 8;
      char size[4];
      std::snprintf(size, sizeof size, "%x", static_cast<unsigned>(chunk));
      body += std::string(size) + "\r\n" + std::string(chunk, 'c') + "\r\n";
      left -= chunk;
    }
    body += "0\r\n\r\n";
    for (std::uint64_t limit : {n - 1, n, n + 1}) {
      Limits l;
      l.max_body = limit;
      BodyDecoder d(l);
      d.start(Framing::chunked);
      Exact in(body);
      std::span<const char> rest(in.data.get(), in.size);
      std::uint64_t content = 0;
      for (;;) {
        const BodyStep s = d.decode(rest);
        content += s.data.size();
        rest = rest.subspan(s.consumed);
        if (s.progress != Progress::need_more || s.consumed == 0) break;
      }
      if (limit < n) {
        EXPECT_EQ(d.progress(), Progress::failed) << n << " " << limit;
        EXPECT_EQ(d.error(), Error::body_too_large) << n << " " << limit;
      } else {
        EXPECT_EQ(d.progress(), Progress::complete) << n << " " << limit;
        EXPECT_EQ(content, n);
      }
    }
  }
}

// Decodes `body` (chunked) under `limits` from an exact block; the decoder's final state.
BodyDecoder decode_chunked(const std::string& body, const Limits& limits) {
  BodyDecoder d(limits);
  d.start(Framing::chunked);
  Exact in(body);
  std::span<const char> rest(in.data.get(), in.size);
  for (;;) {
    const BodyStep s = d.decode(rest);
    rest = rest.subspan(s.consumed);
    if (s.progress != Progress::need_more || s.consumed == 0) break;
  }
  return d;
}

// RFC 9112 §7.1.1: max_chunk_ext counts the extension bytes of one chunk, from its ";".
TEST(ExactSize, chunk_extension_limit_at_n_minus_one_n_and_n_plus_one) {
  for (std::uint32_t n : {2u, 16u, 17u, 64u}) {
    const std::string ext = ";" + std::string(n - 1, 'e');
    ASSERT_EQ(ext.size(), n);
    const std::string body = "1" + ext + "\r\nx\r\n0\r\n\r\n";
    for (std::uint32_t limit : {n - 1, n, n + 1}) {
      Limits l;
      l.max_chunk_ext = limit;
      const BodyDecoder d = decode_chunked(body, l);
      EXPECT_EQ(d.progress(), limit < n ? Progress::failed : Progress::complete)
          << "ext " << n << " limit " << limit;
      if (limit < n) {
        EXPECT_EQ(d.error(), Error::chunk_ext_too_long) << n << " " << limit;
      }
    }
  }
}

// RFC 9112 §7.1.2: max_trailer counts the trailer section, its final CRLF included.
TEST(ExactSize, trailer_limit_at_n_minus_one_n_and_n_plus_one) {
  for (std::size_t pad : {std::size_t{1}, std::size_t{10}, std::size_t{40}}) {
    const std::string trailer = "T: " + std::string(pad, 'v') + "\r\n\r\n";
    const auto n = static_cast<std::uint32_t>(trailer.size());
    const std::string body = "0\r\n" + trailer;
    for (std::uint32_t limit : {n - 1, n, n + 1}) {
      Limits l;
      l.max_trailer = limit;
      const BodyDecoder d = decode_chunked(body, l);
      EXPECT_EQ(d.progress(), limit < n ? Progress::failed : Progress::complete)
          << "trailer " << n << " limit " << limit;
      if (limit < n) {
        EXPECT_EQ(d.error(), Error::trailer_too_large) << n << " " << limit;
      }
    }
  }
}

}  // namespace
}  // namespace httpfsm
