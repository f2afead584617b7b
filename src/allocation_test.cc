// Proves "no heap allocation per request": global operator new is replaced by a counting one
// for this binary, and a window counts the allocations made while parsing many requests
// with parsers and decoders constructed beforehand.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "httpfsm/body_decoder.hpp"
#include "httpfsm/head_parser.hpp"
#include "httpfsm/httpfsm.h"
#include "testing/allocation_counter.hpp"

namespace httpfsm {
namespace {

using testing::AllocationWindow;

TEST(Allocation, the_counter_sees_allocations) {
  AllocationWindow w;
  // Kept in a volatile so the compiler cannot elide the new-expressions (C++14 allows it).
  std::vector<int>* volatile v = new std::vector<int>(100);
  const std::uint64_t seen = w.count();
  delete v;
  EXPECT_GE(seen, 2u);  // the vector and its storage
}

TEST(Allocation, parsing_and_decoding_many_requests_allocates_nothing) {
  const std::string requests[] = {
      "GET /index.html?q=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: test/1.0\r\n"
      "Accept: */*\r\nAccept-Encoding: gzip, br\r\nCookie: " +
          std::string(500, 'c') + "\r\n\r\n",
      "POST /files/x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello",
      "POST /files/y HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;e=1\r\nhello\r\n0\r\nX-T: 1\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",  // an error path too
  };
  HeadParser parser;
  BodyDecoder decoder;
  std::size_t completed = 0;
  AllocationWindow window;
  for (int round = 0; round < 1000; ++round) {
    for (const std::string& r : requests) {
      parser.reset();
      const std::span<const char> m(r.data(), r.size());
      if (parser.parse(m) != Progress::complete) continue;
      decoder.start(parser.head());
      std::span<const char> body = m.subspan(parser.consumed());
      for (;;) {
        const BodyStep s = decoder.decode(body);
        body = body.subspan(s.consumed);
        if (s.progress != Progress::need_more || s.consumed == 0) break;
      }
      completed += decoder.progress() == Progress::complete;
    }
  }
  EXPECT_EQ(window.count(), 0u);
  EXPECT_EQ(completed, 3000u);
}

// The C API promises the same: only the create functions allocate.
TEST(Allocation, the_c_api_allocates_only_in_its_create_functions) {
  const std::string request =
      "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n0\r\nX-T: 1\r\n\r\n";
  httpfsm_parser* parser = httpfsm_parser_create(nullptr);
  httpfsm_body* body = httpfsm_body_create(nullptr);
  ASSERT_NE(parser, nullptr);
  ASSERT_NE(body, nullptr);
  std::size_t completed = 0;
  {
    AllocationWindow window;
    for (int round = 0; round < 1000; ++round) {
      httpfsm_parser_reset(parser);
      if (httpfsm_parser_parse(parser, request.data(), request.size()) != HTTPFSM_COMPLETE) break;
      httpfsm_field host;
      if (!httpfsm_parser_known_field(parser, request.data(), HTTPFSM_FIELD_HOST, &host)) break;
      httpfsm_body_start(body, parser);
      std::size_t at = httpfsm_parser_consumed(parser);
      for (;;) {
        const httpfsm_body_step s =
            httpfsm_body_decode(body, request.data() + at, request.size() - at);
        at += s.consumed;
        if (s.progress != HTTPFSM_NEED_MORE || s.consumed == 0) break;
      }
      completed += httpfsm_body_trailer_count(body) == 1;
    }
    EXPECT_EQ(window.count(), 0u);
  }
  EXPECT_EQ(completed, 1000u);
  httpfsm_body_destroy(body);
  httpfsm_parser_destroy(parser);
}

}  // namespace
}  // namespace httpfsm
