// httpfsm-bench-connection: the server's Connection alone, for callgrind. Feeds the request
// corpora (bench/corpus/*.http, concatenated) into one warmed-up Connection ROUNDS times, in
// pieces of 1460 bytes as a socket delivers them, and drains the output; no socket, no clock.
// Instructions per request are the collected count over the requests printed:
//   valgrind --tool=callgrind --toggle-collect=run_rounds
//       build/release/bench/httpfsm-bench-connection 50 bench/corpus/d_pipelined.http
// Compare two builds in the same run of this command, never with timings. The site's --static
// directory holds hello.txt (13 bytes, as bench/server/run_server_bench.py serves), so a
// corpus of "GET /static/hello.txt" measures what the wrk keep-alive scenarios ask for.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

#include "connection.hpp"
#include "testing/test_site.hpp"

namespace {

using httpfsm::server::Connection;
using httpfsm::server::Context;
using httpfsm::server::FileSegment;
using httpfsm::server::OutputQueue;

// Sends everything queued nowhere, as a socket would, without copying it.
void discard(OutputQueue& out) {
  while (!out.empty()) {
    const std::span<const char> bytes = out.next_bytes();
    if (!bytes.empty()) {
      out.consume_bytes(bytes.size());
    } else if (FileSegment* f = out.next_file()) {
      out.consume_file(f->length);
    }
  }
}

}  // namespace

// Not inlined and with C linkage, so callgrind's --toggle-collect can name it.
extern "C" __attribute__((noinline)) void run_rounds(Connection& conn, Context& context,
                                                     std::string_view stream, int rounds) {
  for (int i = 0; i < rounds; ++i) {
    for (std::size_t at = 0; at < stream.size(); at += 1460) {
      conn.on_bytes(stream.substr(at, 1460));
      while (!conn.output().empty()) {
        discard(conn.output());
        conn.on_output_progress();
      }
    }
    context.log.clear();  // the worker writes it out once per loop iteration
  }
}

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: httpfsm-bench-connection ROUNDS FILE.http...\n");
    return 2;
  }
  const int rounds = std::atoi(argv[1]);
  std::string stream;
  for (int i = 2; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    stream.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  httpfsm::server::testing::TestSite site;
  site.statics().write("hello.txt", "hello, world\n");
  auto conn = site.connect();
  run_rounds(*conn, site.context(), stream, 3);  // warm-up: buffers and pools grow once
  const std::uint64_t before = conn->requests();
  run_rounds(*conn, site.context(), stream, rounds);
  std::printf("%llu requests\n", static_cast<unsigned long long>(conn->requests() - before));
  // A corpus that closes the connection would measure nothing after it.
  return conn->done() ? 1 : 0;
}
