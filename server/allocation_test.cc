// Proves "no heap allocation per request" for the server's hot path: global operator new is
// replaced by a counting one in this binary, and a window counts the allocations made while a
// warmed-up connection answers many requests (pipelined and one by one, with gzip, files,
// static files, HEAD, errors that keep the connection). Uploads are not on the hot path.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "connection.hpp"
#include "testing/allocation_counter.hpp"
#include "testing/test_site.hpp"

namespace httpfsm::server {
namespace {

// Sends everything queued nowhere, as a socket would, without copying it.
std::size_t discard(OutputQueue& out) {
  std::size_t n = 0;
  while (!out.empty()) {
    const std::span<const char> bytes = out.next_bytes();
    if (!bytes.empty()) {
      n += bytes.size();
      out.consume_bytes(bytes.size());
    } else if (FileSegment* f = out.next_file()) {
      n += f->length;
      out.consume_file(f->length);
    }
  }
  return n;
}

TEST(ServerAllocation, the_counter_sees_allocations) {
  const httpfsm::testing::AllocationWindow window;
  std::string* volatile s = new std::string(100, 'x');  // volatile: not elided
  const std::uint64_t seen = window.count();
  delete s;
  EXPECT_GE(seen, 1u);
}

TEST(ServerAllocation, answering_requests_allocates_nothing) {
  testing::TestSite site;
  site.files().write("small", std::string(3000, 's'));
  site.files().write("large", std::string(100000, 'l'));
  site.statics().write("index.html", std::string(2000, 'h'));
  const std::string one_by_one[] = {
      "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /echo/hello%20there HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /user-agent HTTP/1.1\r\nHost: x\r\nUser-Agent: bench/1.0\r\n\r\n",
      "GET /files/small HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /files/large HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /echo/zip HTTP/1.1\r\nHost: x\r\nAccept-Encoding: br, gzip;q=0.8\r\n\r\n",
      "GET /static/ HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n",
      "GET /static/index.html HTTP/1.1\r\nHost: x\r\nRange: bytes=10-99\r\n\r\n",
      "HEAD /files/small HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /missing HTTP/1.1\r\nHost: x\r\n\r\n",
      "DELETE /echo/x HTTP/1.1\r\nHost: x\r\n\r\n",
      "OPTIONS /files/x HTTP/1.1\r\nHost: x\r\n\r\n",
  };
  std::string pipelined;
  for (int i = 0; i < 16; ++i) pipelined += one_by_one[i % 6];

  auto conn = site.connect();
  Context& context = site.context();
  const auto round = [&] {
    for (const std::string& r : one_by_one) {
      conn->on_bytes(r);
      discard(conn->output());
      conn->on_output_progress();
    }
    conn->on_bytes(pipelined);
    while (!conn->output().empty()) {
      discard(conn->output());
      conn->on_output_progress();
    }
    context.log.clear();  // the worker writes it out once per loop iteration
  };
  for (int i = 0; i < 3; ++i) round();  // warm-up: buffers, pools and the gzip state grow once
  const std::uint64_t before = conn->requests();

  const httpfsm::testing::AllocationWindow window;
  for (int i = 0; i < 200; ++i) round();
  const std::uint64_t allocations = window.count();

  EXPECT_EQ(conn->requests() - before, 200u * (std::size(one_by_one) + 16));
  EXPECT_EQ(allocations, 0u);
}

}  // namespace
}  // namespace httpfsm::server
