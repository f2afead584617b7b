// connection_fuzzer: arbitrary bytes into the server's I/O-free Connection over a fresh
// temporary directory tree, in pieces chosen by the input, optionally followed by EOF, a
// timeout or a shutdown. Checks:
//   - every byte the connection sends parses as well-formed HTTP/1.1 responses with the
//     server's strict test reader (status line, fields, framing consistent with the body,
//     Date, a standard reason phrase), told which responses answer HEAD;
//   - no more final responses than requests;
//   - after a 101 (/ws/echo), the rest of the output is well-formed server WebSocket frames
//     (RFC 6455 §5.2: unmasked, valid opcodes and lengths) and nothing follows a Close;
//   - no file outside --directory is touched: the tree around it (the static root, sibling
//     directories a symlink inside the root points to, a secret file two levels up) is
//     snapshotted before and compared after, and the secret's marker never leaves in a
//     response.
//
// Input layout: [config] [mode] [cut count] [2 bytes per cut] stream...
//   config bits: 1 CORS origin, 2 upload token, 4 small max_body, 8 access log
//   mode bits:   1 EOF at the end, 2 timeout at the end, 4 shutdown at the end,
//                8 drain the output only at the end (backpressure)
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "config.hpp"
#include "connection.hpp"
#include "context.hpp"
#include "fuzz_check.hpp"
#include "fuzz_input.hpp"
#include "httpfsm/websocket_decoder.hpp"
#include "request_stream.hpp"
#include "testing/response_reader.hpp"
#include "testing/test_site.hpp"

// Durability is not under test, and a real fsync per upload would hold the fuzzer to a few runs
// a second: in this binary the server's fsync() calls (file_store.cc) resolve to this no-op.
extern "C" int fsync(int) { return 0; }

namespace httpfsm::fuzz {
namespace {

namespace fs = std::filesystem;

// A marker no request can guess: if it ever appears in the output, a file outside the root
// (or a symlink out of it) was served.
constexpr std::string_view kSecret = "outside-secret-7c1e9b4f0a2d6e83";

void write_file(const fs::path& p, std::string_view content) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f.write(content.data(), static_cast<std::streamsize>(content.size()));
}

std::string read_file(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

// The process's sandbox: base/l1/l2/box/{root,static,outside}, box/secret.txt and
// l1/secret.txt, so writes up to four levels above the root land inside `base` and show.
class Sandbox {
 public:
  // In $TMPDIR if set, else in /dev/shm where it exists: a tree is made and removed per
  // input, and on a disk file system that costs more than the connection itself.
  Sandbox() {
    const char* tmp = std::getenv("TMPDIR");
    std::error_code ec;
    const std::string dir = tmp != nullptr && *tmp != '\0'     ? tmp
                            : fs::is_directory("/dev/shm", ec) ? "/dev/shm"
                                                               : "/tmp";
    std::string tmpl = dir + "/httpfsm-connection-fuzzer-XXXXXX";
    HTTPFSM_FUZZ_CHECK(::mkdtemp(tmpl.data()) != nullptr, "mkdtemp failed");
    base_ = tmpl;
  }
  ~Sandbox() {
    std::error_code ec;
    fs::remove_all(base_, ec);
  }
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  // A fresh tree for one input.
  void reset() {
    std::error_code ec;
    fs::remove_all(base_ / "l1", ec);
    fs::create_directories(box() / "root" / "sub");
    fs::create_directories(box() / "static" / "css");
    fs::create_directories(box() / "outside");
    write_file(box() / "root" / "hello.txt", "hello");
    write_file(box() / "root" / "sub" / "a.txt", "a");
    write_file(box() / "static" / "index.html", "<h1>static</h1>");
    write_file(box() / "static" / "css" / "site.css", "h1{}");
    write_file(box() / "outside" / "secret.txt", kSecret);
    write_file(box() / "secret.txt", kSecret);
    write_file(base_ / "l1" / "secret.txt", kSecret);
    fs::create_directory_symlink("../outside", box() / "root" / "escape");
    fs::create_symlink("../outside/secret.txt", box() / "root" / "secret_link");
    fs::create_directory_symlink("../outside", box() / "static" / "escape");
    fs::create_symlink("../secret.txt", box() / "static" / "secret_link");
  }

  fs::path box() const { return base_ / "l1" / "l2" / "box"; }
  std::string root() const { return (box() / "root").string(); }
  std::string static_root() const { return (box() / "static").string(); }

  // Everything under the sandbox but the root itself: path -> kind and content.
  std::map<std::string, std::string> outside_root() const {
    std::map<std::string, std::string> out;
    const fs::path root = box() / "root";
    for (auto it = fs::recursive_directory_iterator(base_);
         it != fs::recursive_directory_iterator(); ++it) {
      const fs::path& p = it->path();
      if (p == root) {
        it.disable_recursion_pending();
        continue;
      }
      const std::string key = p.lexically_relative(base_).string();
      if (it->is_symlink()) {
        out[key] = "symlink " + fs::read_symlink(p).string();
      } else if (it->is_directory()) {
        out[key] = "directory";
      } else {
        out[key] = "file " + read_file(p);
      }
    }
    return out;
  }

 private:
  fs::path base_;
};

Sandbox& sandbox() {
  static Sandbox s;
  return s;
}

std::string describe_tree(const std::map<std::string, std::string>& tree) {
  std::string s;
  for (const auto& [path, what] : tree) s += "  " + path + ": " + escape(what) + "\n";
  return s;
}

// Takes everything queued and lets the connection go on.
std::string drain(server::Connection& c) {
  std::string out;
  for (std::string more = server::testing::drain(c.output()); !more.empty();
       more = server::testing::drain(c.output())) {
    out += more;
    c.on_output_progress();
  }
  return out;
}

}  // namespace
}  // namespace httpfsm::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace httpfsm;
  using namespace httpfsm::fuzz;
  FuzzInput in(data, size);
  const std::uint8_t config_bits = in.byte();
  const std::uint8_t mode = in.byte();
  const SplitPoints split_points = in.split_points(16);
  const std::string_view stream = in.rest();
  std::vector<std::size_t> cuts = split_points.at(stream.size());
  cuts.push_back(stream.size());

  Sandbox& box = sandbox();
  box.reset();
  const auto before = box.outside_root();

  server::Config config;
  config.directory = box.root();
  config.static_dir = box.static_root();
  config.log = (config_bits & 8) != 0 ? server::LogFormat::common : server::LogFormat::off;
  if ((config_bits & 1) != 0) config.cors_origin = "https://example.com";
  if ((config_bits & 2) != 0) config.auth_token = "t0ken";
  if ((config_bits & 4) != 0) config.max_body = 64;
  std::string error;
  const std::unique_ptr<server::Site> site = server::testing::build_classic_site(config, &error);
  HTTPFSM_FUZZ_CHECK(site != nullptr, error);
  server::Clock clock;
  clock.set(1000, 784111777);  // Sun, 06 Nov 1994 08:49:37 GMT
  server::Context context(*site, clock);
  std::string output;
  {
    server::Connection connection(context, "192.0.2.1");
    std::size_t fed = 0;
    for (std::size_t end : cuts) {
      if (connection.done()) break;
      if (end > fed) connection.on_bytes(stream.substr(fed, end - fed));
      fed = std::max(fed, end);
      if ((mode & 8) == 0) output += drain(connection);
    }
    if (!connection.done()) {
      if ((mode & 1) != 0) connection.on_eof();
      if ((mode & 2) != 0) connection.on_timeout();
      if ((mode & 4) != 0) connection.on_shutdown();
    }
    output += drain(connection);
    context.log.clear();
  }

  // Which final responses answer HEAD: the requests as the server's parser sees them.
  const StreamRecord requests = run_stream(stream, site->limits);
  std::vector<char> head_flags;
  for (const MessageRecord& m : requests.messages) {
    head_flags.push_back(m.head_progress == Progress::complete && m.head.method == "HEAD");
  }
  std::unique_ptr<bool[]> heads(new bool[head_flags.size() + 1]);
  for (std::size_t i = 0; i < head_flags.size(); ++i) heads[i] = head_flags[i] != 0;

  const auto ctx = [&] {
    return std::string("stream: \"" + escape(stream) + "\"\noutput: \"" + escape(output) + "\"");
  };
  std::vector<httpfsm::testing::HttpResponse> responses;
  std::string reader_error;
  HTTPFSM_FUZZ_CHECK(httpfsm::testing::read_responses(output, &responses, &reader_error,
                                                      {heads.get(), head_flags.size()}),
                     ctx() + "\nmalformed output: " + reader_error);
  std::size_t finals = 0;
  for (const auto& r : responses) {
    const std::string broken = httpfsm::testing::check_server_invariants(r);
    HTTPFSM_FUZZ_CHECK(broken.empty(), ctx() + "\n" + broken);
    if (r.status >= 200) ++finals;
  }
  HTTPFSM_FUZZ_CHECK(finals <= requests.messages.size(), ctx());
  if (!responses.empty() && responses.back().status == 101) {
    // Where the HTTP part ends: the reader stopped after the 101's head.
    std::string_view rest = output;
    std::size_t final_index = 0;
    for (const auto& r : responses) {
      httpfsm::testing::ReaderOptions o;
      o.head_request = final_index < head_flags.size() && head_flags[final_index] != 0;
      httpfsm::testing::HttpResponse scratch;
      rest.remove_prefix(httpfsm::testing::read_response(rest, &scratch, o).consumed);
      if (r.status >= 200) ++final_index;
    }
    FrameDecoderOptions o;
    o.role = Role::client;  // reading what the server sent
    o.permessage_deflate = true;
    o.max_message = std::uint64_t{1} << 40;
    FrameDecoder decoder(o);
    std::string frames(rest);
    std::span<char> left(frames.data(), frames.size());
    bool closed = false;
    for (;;) {
      const FrameStep step = decoder.decode(left);
      left = left.subspan(step.consumed);
      if (step.event == FrameEvent::need_more) break;
      HTTPFSM_FUZZ_CHECK(
          step.event != FrameEvent::failed,
          ctx() + "\nmalformed server frame: " + std::string(ws_error_name(decoder.error())));
      HTTPFSM_FUZZ_CHECK(!closed, ctx() + "\na frame after the server's Close");
      if (step.event == FrameEvent::control && step.opcode == Opcode::close) closed = true;
    }
    HTTPFSM_FUZZ_CHECK(left.empty(), ctx() + "\na partial server frame at the end");
  }
  HTTPFSM_FUZZ_CHECK(
      output.find(kSecret) == std::string::npos || stream.find(kSecret) != std::string_view::npos,
      ctx() + "\na file outside the root was served");
  const auto after = box.outside_root();
  HTTPFSM_FUZZ_CHECK(after == before, ctx() + "\nfiles outside the root changed; before:\n" +
                                          describe_tree(before) + "after:\n" +
                                          describe_tree(after));
  return 0;
}
