// End-to-end tests over loopback sockets: the event loop, the worker's socket handling and
// the real binary (flags, exit status, signals). Every wait is bounded: sockets have receive
// timeouts and child processes are waited for with a deadline.
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "classic_app.hpp"
#include "httpfsm/server/server.hpp"
#include "listener.hpp"
#include "testing/response_reader.hpp"
#include "testing/test_site.hpp"
#include "worker.hpp"

extern char** environ;

namespace httpfsm::server {
namespace {

using httpfsm::testing::HttpResponse;
using namespace std::chrono_literals;

class Client {
 public:
  explicit Client(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    timeval tv{5, 0};  // no test waits forever
    setsockopt(fd_.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  }
  bool connected() const { return connected_; }
  int fd() const { return fd_.get(); }

  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }
  void shutdown_write() { ::shutdown(fd_.get(), SHUT_WR); }

  // Reads until `count` complete responses (or EOF, error, timeout). `heads` as in
  // read_responses. Fails the test on malformed output.
  std::vector<HttpResponse> read(std::size_t count, std::vector<bool> heads = {}) {
    std::vector<HttpResponse> out;
    for (;;) {
      std::vector<char> flags(heads.begin(), heads.end());
      std::unique_ptr<bool[]> h(new bool[flags.size() + 1]);
      for (std::size_t i = 0; i < flags.size(); ++i) h[i] = flags[i] != 0;
      out.clear();
      std::string rest = buffer_;
      std::size_t used = 0;
      while (used < rest.size()) {
        HttpResponse r;
        httpfsm::testing::ReaderOptions o;
        const std::size_t finals = static_cast<std::size_t>(std::count_if(
            out.begin(), out.end(), [](const HttpResponse& x) { return x.status >= 200; }));
        o.head_request = finals < flags.size() && h[finals];
        const auto res =
            httpfsm::testing::read_response(std::string_view(rest).substr(used), &r, o);
        EXPECT_NE(res.status, httpfsm::testing::ReadStatus::malformed) << res.error;
        if (res.status != httpfsm::testing::ReadStatus::complete) break;
        EXPECT_EQ(httpfsm::testing::check_server_invariants(r), "");
        out.push_back(std::move(r));
        used += res.consumed;
      }
      if (out.size() >= count) {
        buffer_.erase(0, used);
        return out;
      }
      if (!fill()) return out;
    }
  }
  // Reads until the server closes; returns what arrived. eof_ tells whether it closed.
  std::string read_to_eof() {
    while (fill()) {
    }
    std::string all = std::move(buffer_);
    buffer_.clear();
    return all;
  }
  bool saw_eof() const { return eof_; }

 private:
  bool fill() {
    char buf[65536];
    const ssize_t n = ::recv(fd_.get(), buf, sizeof buf, 0);
    if (n <= 0) {
      eof_ = n == 0;
      return false;
    }
    buffer_.append(buf, static_cast<std::size_t>(n));
    return true;
  }
  FileHandle fd_;
  bool connected_ = false;
  bool eof_ = false;
  std::string buffer_;
};

std::string get(std::string_view target, std::string_view extra = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: x\r\n" + std::string(extra) + "\r\n";
}

std::size_t open_descriptors() {
  std::size_t n = 0;
  DIR* d = ::opendir("/proc/self/fd");
  while (dirent* e = ::readdir(d)) n += e->d_name[0] != '.' ? 1 : 0;
  ::closedir(d);
  return n;
}

// Waits (bounded) until process `pid` holds a descriptor of a file in `dir`: an upload has
// begun. The file may have no name (O_TMPFILE), so the directory listing cannot tell.
bool wait_for_upload_file(const testing::TempDir& dir, const std::string& pid = "self") {
  const std::string fds = "/proc/" + pid + "/fd";
  for (int i = 0; i < 500; ++i) {
    DIR* d = ::opendir(fds.c_str());
    bool found = false;
    while (dirent* e = d != nullptr ? ::readdir(d) : nullptr) {
      char target[4096];
      const ssize_t n = ::readlinkat(::dirfd(d), e->d_name, target, sizeof target - 1);
      if (n > 0 &&
          std::string_view(target, static_cast<std::size_t>(n)).starts_with(dir.path() + "/")) {
        found = true;
      }
    }
    if (d != nullptr) ::closedir(d);
    if (found) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

// Every loopback test runs against every event-loop backend this build has (issue 9).
class LoopbackTest : public ::testing::TestWithParam<PollerKind> {
 protected:
  void start(Config c = {}) {
    c.event_loop = GetParam();
    c.bind = "127.0.0.1";
    c.port = 0;
    c.directory = dir_.path();
    c.log = LogFormat::off;
    std::string error;
    App app;
    ASSERT_TRUE(make_classic_app(c, &app, &error)) << error;
    server_ = Server::create(c, app, &error);
    ASSERT_NE(server_, nullptr) << error;
    server_->start();
  }
  void TearDown() override {
    if (server_) {
      server_->request_shutdown();
      server_->wait();
    }
  }
  std::uint16_t port() const { return server_->port(); }

  testing::TempDir dir_;
  std::unique_ptr<Server> server_;
};

TEST_P(LoopbackTest, keep_alive_serves_many_requests_on_one_connection) {
  start();
  Client c(port());
  ASSERT_TRUE(c.connected());
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(c.send(get("/echo/" + std::to_string(i))));
    const auto r = c.read(1);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].body, std::to_string(i));
    EXPECT_FALSE(r[0].closes());
  }
}

TEST_P(LoopbackTest, pipelined_requests_come_back_in_order) {
  start();
  dir_.write("f", "file-bytes");
  Client c(port());
  std::string burst;
  for (int i = 0; i < 16; ++i)
    burst += i % 4 == 3 ? get("/files/f") : get("/echo/" + std::to_string(i));
  ASSERT_TRUE(c.send(burst));
  const auto r = c.read(16);
  ASSERT_EQ(r.size(), 16u);
  for (int i = 0; i < 16; ++i) {
    EXPECT_EQ(r[static_cast<std::size_t>(i)].body, i % 4 == 3 ? "file-bytes" : std::to_string(i));
  }
}

TEST_P(LoopbackTest, slow_writer_sending_one_byte_at_a_time) {
  start();
  Client c(port());
  const std::string req = "POST /files/slow HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nslow";
  for (char ch : req) {
    ASSERT_TRUE(c.send(std::string_view(&ch, 1)));
    std::this_thread::sleep_for(1ms);
  }
  const auto r = c.read(1);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].status, 201);
  EXPECT_EQ(dir_.read("slow"), "slow");
}

TEST_P(LoopbackTest, large_file_goes_out_whole_to_a_slow_reader) {
  start();
  std::string big(4 << 20, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7 + i / 251);
  dir_.write("big", big);
  Client c(port());
  int small = 256 * 1024;
  setsockopt(c.fd(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  ASSERT_TRUE(c.send(get("/files/big") + get("/echo/after")));
  std::this_thread::sleep_for(50ms);  // the server meets a full socket and waits for POLLOUT
  const auto r = c.read(2);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_TRUE(r[0].body == big);
  EXPECT_EQ(r[1].body, "after");
}

// Reads `n` bytes, taking at most `step` bytes every `pause`.
std::string read_slowly(Client& c, std::size_t n, std::size_t step,
                        std::chrono::milliseconds pause) {
  std::string got;
  char buf[65536];
  while (got.size() < n) {
    std::this_thread::sleep_for(pause);
    const std::size_t target = std::min(n, got.size() + step);
    while (got.size() < target) {
      const ssize_t r = ::recv(c.fd(), buf, std::min(sizeof buf, target - got.size()), 0);
      if (r <= 0) return got;
      got.append(buf, static_cast<std::size_t>(r));
    }
  }
  return got;
}

TEST_P(LoopbackTest, a_reader_that_keeps_reading_is_not_cut_by_the_idle_timeout) {
  // The socket buffers hold seconds of this reader's pace, so for longer than the idle
  // timeout the server's socket never turns writable although the client reads all along.
  Config c;
  c.idle_timeout_ms = 300;
  start(c);
  const std::string big(8 << 20, 'r');
  dir_.write("big", big);
  Client client(port());
  ASSERT_TRUE(client.send(get("/files/big")));
  const std::string got = read_slowly(client, big.size() + 150, 256 << 10, 100ms);
  ASSERT_GT(got.size(), big.size()) << "cut after " << got.size() << " bytes";
  std::vector<HttpResponse> rs;
  std::string error;
  ASSERT_TRUE(httpfsm::testing::read_responses(got + client.read_to_eof(), &rs, &error)) << error;
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_TRUE(rs[0].body == big);
}

TEST_P(LoopbackTest, a_reader_that_stops_reading_is_cut_by_the_idle_timeout) {
  Config c;
  c.idle_timeout_ms = 300;
  start(c);
  const std::string big(32 << 20, 's');  // more than the socket buffers hold
  dir_.write("big", big);
  Client client(port());
  ASSERT_TRUE(client.send(get("/files/big")));
  std::this_thread::sleep_for(1500ms);  // five idle timeouts without reading
  const std::string got = client.read_to_eof();
  EXPECT_TRUE(client.saw_eof());
  EXPECT_LT(got.size(), big.size());
}

TEST_P(LoopbackTest, half_close_still_gets_the_answer_then_eof) {
  start();
  Client c(port());
  ASSERT_TRUE(c.send(get("/echo/1") + get("/echo/2")));
  c.shutdown_write();
  const std::string all = c.read_to_eof();
  EXPECT_TRUE(c.saw_eof());
  std::vector<HttpResponse> rs;
  std::string error;
  ASSERT_TRUE(httpfsm::testing::read_responses(all, &rs, &error)) << error;
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[1].body, "2");
}

TEST_P(LoopbackTest, connection_close_is_answered_then_closed_with_a_fin) {
  start();
  for (int i = 0; i < 20; ++i) {
    Client c(port());
    ASSERT_TRUE(c.send(get("/echo/bye", "Connection: close\r\n")));
    const std::string all = c.read_to_eof();
    EXPECT_TRUE(c.saw_eof());  // recv returned 0: a FIN after the response, not a reset
    std::vector<HttpResponse> rs;
    std::string error;
    ASSERT_TRUE(httpfsm::testing::read_responses(all, &rs, &error)) << error;
    ASSERT_EQ(rs.size(), 1u);
    EXPECT_EQ(rs[0].body, "bye");
    EXPECT_TRUE(rs[0].closes());
  }
}

TEST_P(LoopbackTest, a_bad_request_is_answered_400_and_closed_cleanly) {
  start();
  Client c(port());
  ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nHost : x\r\n\r\n" + get("/echo/never")));
  const std::string all = c.read_to_eof();
  EXPECT_TRUE(c.saw_eof());  // a FIN after the response, not a reset
  std::vector<HttpResponse> rs;
  std::string error;
  ASSERT_TRUE(httpfsm::testing::read_responses(all, &rs, &error)) << error;
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].status, 400);
  EXPECT_TRUE(rs[0].closes());
}

TEST_P(LoopbackTest, over_max_connections_is_answered_503_and_closed) {
  Config c;
  c.max_connections = 2;
  start(c);
  Client a(port()), b(port());
  ASSERT_TRUE(a.send(get("/")));
  ASSERT_TRUE(b.send(get("/")));
  ASSERT_EQ(a.read(1).size(), 1u);
  ASSERT_EQ(b.read(1).size(), 1u);
  Client third(port());
  ASSERT_TRUE(third.send(get("/")));
  const std::string all = third.read_to_eof();
  EXPECT_TRUE(third.saw_eof());
  std::vector<HttpResponse> rs;
  std::string error;
  ASSERT_TRUE(httpfsm::testing::read_responses(all, &rs, &error)) << error;
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].status, 503);
  EXPECT_TRUE(rs[0].closes());
  // RFC 9110 §15.6: a 5xx SHOULD explain itself.
  EXPECT_EQ(rs[0].body, "503 Service Unavailable: too many open connections\n");
  // A slot frees up once a connection closes.
  a.shutdown_write();
  a.read_to_eof();
  std::this_thread::sleep_for(50ms);
  Client fourth(port());
  ASSERT_TRUE(fourth.send(get("/echo/in")));
  const auto r = fourth.read(1);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].body, "in");
}

TEST_P(LoopbackTest, idle_keep_alive_connection_is_closed_silently) {
  Config c;
  c.idle_timeout_ms = 200;
  start(c);
  Client a(port());
  ASSERT_TRUE(a.send(get("/")));
  ASSERT_EQ(a.read(1).size(), 1u);
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(a.read_to_eof(), "");
  EXPECT_TRUE(a.saw_eof());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
}

TEST_P(LoopbackTest, slowloris_head_gets_408_and_a_silent_client_nothing) {
  Config c;
  c.header_timeout_ms = 200;
  start(c);
  Client slow(port());
  Client silent(port());
  ASSERT_TRUE(slow.send("GET /echo/x HTTP/1.1\r\nHo"));
  const std::string all = slow.read_to_eof();
  EXPECT_TRUE(slow.saw_eof());
  std::vector<HttpResponse> rs;
  std::string error;
  ASSERT_TRUE(httpfsm::testing::read_responses(all, &rs, &error)) << error;
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].status, 408);
  EXPECT_EQ(silent.read_to_eof(), "");
  EXPECT_TRUE(silent.saw_eof());
}

TEST_P(LoopbackTest, shutdown_finishes_the_request_in_flight) {
  start();
  Client c(port());
  ASSERT_TRUE(c.send("POST /files/late HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nhal"));
  ASSERT_TRUE(wait_for_upload_file(dir_));  // the upload's file: the request is in flight
  server_->request_shutdown();
  std::this_thread::sleep_for(50ms);
  ASSERT_TRUE(c.send("f!!"));
  const auto r = c.read(1);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].status, 201);
  EXPECT_TRUE(r[0].closes());
  const auto t0 = std::chrono::steady_clock::now();
  server_->wait();
  EXPECT_LT(std::chrono::steady_clock::now() - t0,
            std::chrono::milliseconds(Config{}.shutdown_timeout_ms + 1000));
  EXPECT_EQ(dir_.read("late"), "half!!");
  Client refused(port());
  EXPECT_FALSE(refused.connected());  // no longer listening
}

TEST_P(LoopbackTest, no_descriptor_leaks) {
  start();
  dir_.write("f", std::string(100000, 'f'));  // sendfile path: a file descriptor per response
  // Warm up so lazily created descriptors are counted in the baseline.
  {
    Client w(port());
    w.send(get("/files/f"));
    w.read(1);
  }
  std::this_thread::sleep_for(100ms);
  const std::size_t before = open_descriptors();
  for (int i = 0; i < 50; ++i) {
    Client c(port());
    ASSERT_TRUE(c.send(get("/files/f") + get("/files/missing") + (i % 2 ? "BAD\r\n\r\n" : "")));
    if (i % 3 == 0) continue;  // vanish without reading
    c.read(2);
  }
  {
    Client upload(port());
    upload.send("POST /files/x HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc");
    std::this_thread::sleep_for(50ms);
    upload.shutdown_write();
    upload.read_to_eof();
  }
  for (int i = 0; i < 100 && open_descriptors() != before; ++i) std::this_thread::sleep_for(20ms);
  EXPECT_EQ(open_descriptors(), before);
  EXPECT_EQ(dir_.list(), std::vector<std::string>{"f"});  // the aborted upload left nothing
}

TEST_P(LoopbackTest, several_workers_share_the_port) {
  Config c;
  c.workers = 3;
  start(c);
  for (int i = 0; i < 12; ++i) {
    Client k(port());
    ASSERT_TRUE(k.send(get("/echo/w")));
    const auto r = k.read(1);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].body, "w");
  }
}

TEST_P(LoopbackTest, many_idle_keep_alive_connections_do_not_stall_an_active_one) {
  Config c;
  c.idle_timeout_ms = 400;
  start(c);
  std::vector<std::unique_ptr<Client>> idle;
  for (int i = 0; i < 300; ++i) {
    idle.push_back(std::make_unique<Client>(port()));
    ASSERT_TRUE(idle.back()->connected());
  }
  for (auto& k : idle) ASSERT_TRUE(k->send(get("/echo/idle")));
  for (auto& k : idle) ASSERT_EQ(k->read(1).size(), 1u);
  Client active(port());
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(active.send(get("/echo/" + std::to_string(i))));
    const auto r = active.read(1);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].body, std::to_string(i));
  }
  // Their idle timers still fire: every idle connection is closed silently.
  for (auto& k : idle) {
    EXPECT_EQ(k->read_to_eof(), "");
    EXPECT_TRUE(k->saw_eof());
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, LoopbackTest, ::testing::ValuesIn(available_pollers()),
                         [](const ::testing::TestParamInfo<PollerKind>& backend) {
                           return std::string(poller_name(backend.param));
                         });

// The public API end to end: an App of its own served by a Server over sockets. A handler that
// throws is answered 500 and the same connection, and the server, keep serving.
TEST_P(LoopbackTest, an_embedded_app_survives_a_throwing_handler) {
  App app;
  app.get("/boom", [](const Request&, Response&) { throw std::runtime_error("bug"); });
  app.get("/hi/{who}", [](const Request& request, Response& response) {
    response.set_body("hi " + std::string(request.param("who")));
  });
  Config c;
  c.event_loop = GetParam();
  c.port = 0;
  std::string error;
  server_ = Server::create(c, app, &error);
  ASSERT_NE(server_, nullptr) << error;
  server_->start();
  Client client(port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.send(get("/boom") + get("/hi/you")));
  const auto r = client.read(2);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].status, 500);
  EXPECT_EQ(r[0].body, "500 Internal Server Error\n");
  EXPECT_FALSE(r[0].closes());
  EXPECT_EQ(r[1].status, 200);
  EXPECT_EQ(r[1].body, "hi you");
}

TEST(Listener, accepted_sockets_have_nagle_off) {
  std::string error;
  Listener l = Listener::open("127.0.0.1", 0, false, &error);
  ASSERT_TRUE(l.valid()) << error;
  for (int i = 0; i < 3; ++i) {  // the first accept checks inheritance; the others rely on it
    Client c(l.port());
    ASSERT_TRUE(c.connected());
    ASSERT_TRUE(c.send("G"));  // a deferring listener hands over connections that spoke
    AcceptedSocket s;
    for (int tries = 0; tries < 100 && l.accept(&s) != AcceptStatus::accepted; ++tries) {
      std::this_thread::sleep_for(1ms);
    }
    ASSERT_TRUE(s.fd.valid());
    int on = 0;
    socklen_t len = sizeof on;
    ASSERT_EQ(getsockopt(s.fd.get(), IPPROTO_TCP, TCP_NODELAY, &on, &len), 0);
    EXPECT_NE(on, 0);
  }
}

TEST(Listener, hands_over_a_connection_once_its_first_bytes_arrived) {
  std::string error;
  Listener l = Listener::open("127.0.0.1", 0, false, &error);
  ASSERT_TRUE(l.valid()) << error;
#ifdef __linux__
  ASSERT_TRUE(l.data_first());  // TCP_DEFER_ACCEPT is Linux's
#else
  if (!l.data_first()) GTEST_SKIP() << "no TCP_DEFER_ACCEPT here";
#endif
  Client c(l.port());
  ASSERT_TRUE(c.connected());
  std::this_thread::sleep_for(50ms);
  AcceptedSocket s;
  // Connected (the handshake is done) but silent: not accepted yet.
  EXPECT_EQ(l.accept(&s), AcceptStatus::would_block);
  ASSERT_TRUE(c.send("GET / HTTP/1.1\r\n"));
  for (int tries = 0; tries < 1000 && l.accept(&s) != AcceptStatus::accepted; ++tries) {
    std::this_thread::sleep_for(1ms);
  }
  ASSERT_TRUE(s.fd.valid());
  char buf[32];
  EXPECT_EQ(::recv(s.fd.get(), buf, sizeof buf, MSG_DONTWAIT), 16);  // the bytes are there
  EXPECT_EQ(s.peer, "127.0.0.1");
}

TEST(Listener, peer_names_match_inet_ntop) {
  // Every value in every position of an IPv4 address, against the C library's formatting.
  for (unsigned v = 0; v < 256; ++v) {
    for (int pos = 0; pos < 4; ++pos) {
      sockaddr_storage ss{};
      auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
      sin->sin_family = AF_INET;
      unsigned char bytes[4] = {10, 0, 255, 7};
      bytes[pos] = static_cast<unsigned char>(v);
      std::memcpy(&sin->sin_addr, bytes, 4);
      char want[INET_ADDRSTRLEN];
      ASSERT_NE(inet_ntop(AF_INET, &sin->sin_addr, want, sizeof want), nullptr);
      ASSERT_EQ(peer_name(ss), want) << v << " at " << pos;
    }
  }
  sockaddr_storage ss{};
  auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
  sin6->sin6_family = AF_INET6;
  sin6->sin6_addr = in6addr_loopback;
  EXPECT_EQ(peer_name(ss), "::1");
  ss.ss_family = AF_UNIX;
  EXPECT_EQ(peer_name(ss), "-");
}

// --- The binary ----------------------------------------------------------------------------------

struct Child {
  pid_t pid = -1;
  FileHandle err;  // its stderr
};

Child spawn(std::vector<std::string> args) {
  args.insert(args.begin(), HTTPFSM_SERVER_BINARY);
  int p[2];
  EXPECT_EQ(::pipe2(p, O_CLOEXEC), 0);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, p[1], 2);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  Child c;
  EXPECT_EQ(posix_spawn(&c.pid, argv[0], &fa, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&fa);
  ::close(p[1]);
  c.err.reset(p[0]);
  return c;
}

// Reads the child's stderr until a newline (bounded wait).
std::string read_line(const Child& c) {
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{c.err.get(), POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char ch;
    if (::read(c.err.get(), &ch, 1) != 1) break;
    if (ch == '\n') break;
    line += ch;
  }
  return line;
}

// Waits for the child to exit (bounded); its exit status, or -1 (then it is killed).
int wait_exit(pid_t pid, std::chrono::milliseconds limit = 5000ms) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid)
      return WIFEXITED(status) ? WEXITSTATUS(status) : -2;
    std::this_thread::sleep_for(10ms);
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  return -1;
}

TEST(Binary, bad_flag_exits_2_with_one_line) {
  Child c = spawn({"--bogus"});
  const std::string line = read_line(c);
  EXPECT_EQ(wait_exit(c.pid), 2);
  EXPECT_NE(line.find("--bogus"), std::string::npos) << line;
}

TEST(Binary, unreadable_directory_exits_2) {
  Child c = spawn({"--port", "0", "--directory", "/nonexistent/httpfsm"});
  const std::string line = read_line(c);
  EXPECT_EQ(wait_exit(c.pid), 2);
  EXPECT_NE(line.find("/nonexistent/httpfsm"), std::string::npos) << line;
}

TEST(Binary, port_in_use_exits_2) {
  std::string error;
  Listener busy = Listener::open("127.0.0.1", 0, false, &error);
  ASSERT_TRUE(busy.valid()) << error;
  Child c = spawn({"--port", std::to_string(busy.port())});
  const std::string line = read_line(c);
  EXPECT_EQ(wait_exit(c.pid), 2);
  EXPECT_NE(line.find("in use"), std::string::npos) << line;
}

TEST(Binary, serves_with_each_event_loop_backend) {
  for (const PollerKind k : available_pollers()) {
    Child c = spawn({"--port", "0", "--log", "off", "--event-loop", std::string(poller_name(k))});
    const std::string line = read_line(c);
    const std::size_t colon = line.rfind(':');
    ASSERT_NE(colon, std::string::npos) << line;
    const auto port = static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1)));
    {
      Client k1(port);
      ASSERT_TRUE(k1.send(get("/echo/" + std::string(poller_name(k)))));
      const auto r = k1.read(1);
      ASSERT_EQ(r.size(), 1u);
      EXPECT_EQ(r[0].body, poller_name(k));
    }
    ::kill(c.pid, SIGTERM);
    EXPECT_EQ(wait_exit(c.pid), 0);
  }
}

TEST(Binary, sigterm_finishes_in_flight_work_and_exits_0) {
  testing::TempDir dir;
  Child c = spawn({"--port", "0", "--directory", dir.path(), "--log", "off"});
  const std::string line = read_line(c);  // "httpfsm-server: listening on http://127.0.0.1:N/ ..."
  const std::size_t colon = line.rfind(':');
  ASSERT_NE(colon, std::string::npos) << line;
  const auto port = static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1)));
  Client k(port);
  ASSERT_TRUE(k.send("POST /files/t HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nte"));
  ASSERT_TRUE(wait_for_upload_file(dir, std::to_string(c.pid)));  // the upload is in flight
  ::kill(c.pid, SIGTERM);
  std::this_thread::sleep_for(100ms);
  ASSERT_TRUE(k.send("rm"));
  const auto r = k.read(1);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].status, 201);
  EXPECT_TRUE(r[0].closes());
  EXPECT_EQ(wait_exit(c.pid), 0);
  EXPECT_EQ(dir.read("t"), "term");
}

}  // namespace
}  // namespace httpfsm::server
