// httpfsm-bench-ws-client: a WebSocket echo load generator, the same client for every server
// it is pointed at (bench/websocket/ws_echo_bench.sh runs it against httpfsm-server's
// /ws/echo and a peer). Each of C connections (one thread each) keeps W messages of S bytes
// in flight: it sends W masked binary frames (RFC 6455 §5.3), reads W echoes, and repeats for
// D seconds. Prints messages/s and the mean round trip of a window.
//
//   httpfsm-bench-ws-client HOST PORT PATH SIZE CONNECTIONS WINDOW SECONDS
//
// Frames are written and read by hand (no extension offered, so no compression on either
// side); an echo that differs in length or opcode aborts the run.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

bool send_all(int fd, const char* p, std::size_t n) {
  while (n > 0) {
    const ssize_t k = ::send(fd, p, n, MSG_NOSIGNAL);
    if (k <= 0) return false;
    p += k;
    n -= static_cast<std::size_t>(k);
  }
  return true;
}

bool recv_all(int fd, char* p, std::size_t n) {
  while (n > 0) {
    const ssize_t k = ::recv(fd, p, n, 0);
    if (k <= 0) return false;
    p += k;
    n -= static_cast<std::size_t>(k);
  }
  return true;
}

int connect_ws(const char* host, int port, const std::string& path) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  ::inet_pton(AF_INET, host, &a.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return -1;
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  const std::string req = "GET " + path + " HTTP/1.1\r\nHost: " + host +
                          "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                          "Sec-WebSocket-Version: 13\r\n\r\n";
  if (!send_all(fd, req.data(), req.size())) return -1;
  std::string head;
  char c = 0;
  while (head.find("\r\n\r\n") == std::string::npos && recv_all(fd, &c, 1)) head += c;
  if (head.rfind("HTTP/1.1 101", 0) != 0) return -1;
  return fd;
}

// One masked binary frame of `size` bytes (mask key 0: the payload goes out as is).
std::string client_frame(std::size_t size) {
  std::string f;
  f += '\x82';
  if (size < 126) {
    f += static_cast<char>(0x80 | size);
  } else if (size < 65536) {
    f += '\xfe';
    f += static_cast<char>(size >> 8);
    f += static_cast<char>(size & 0xff);
  } else {
    f += '\xff';
    for (int i = 7; i >= 0; --i) f += static_cast<char>((size >> (8 * i)) & 0xff);
  }
  f.append(4, '\0');
  f.append(size, 'm');
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 8) {
    std::fprintf(stderr, "usage: %s HOST PORT PATH SIZE CONNECTIONS WINDOW SECONDS\n", argv[0]);
    return 2;
  }
  const char* host = argv[1];
  const int port = std::atoi(argv[2]);
  const std::string path = argv[3];
  const auto size = static_cast<std::size_t>(std::atol(argv[4]));
  const int connections = std::atoi(argv[5]);
  const int window = std::atoi(argv[6]);
  const double seconds = std::atof(argv[7]);

  std::string burst;
  for (int i = 0; i < window; ++i) burst += client_frame(size);
  const std::size_t header = size < 126 ? 2 : size < 65536 ? 4 : 10;

  std::atomic<bool> failed{false};
  std::atomic<std::uint64_t> messages{0};
  std::atomic<std::uint64_t> windows{0};
  const auto end = Clock::now() + std::chrono::duration<double>(seconds);
  std::vector<std::thread> threads;
  for (int t = 0; t < connections; ++t) {
    threads.emplace_back([&] {
      const int fd = connect_ws(host, port, path);
      if (fd < 0) {
        failed = true;
        return;
      }
      std::string echo(header + size, '\0');
      std::uint64_t n = 0, w = 0;
      while (Clock::now() < end && !failed) {
        if (!send_all(fd, burst.data(), burst.size())) {
          failed = true;
          break;
        }
        for (int i = 0; i < window; ++i) {
          // The server's echo: unmasked, same length and opcode (one frame per message).
          if (!recv_all(fd, echo.data(), echo.size()) || echo[0] != '\x82') {
            failed = true;
            break;
          }
        }
        n += static_cast<std::uint64_t>(window);
        ++w;
      }
      messages += n;
      windows += w;
      const char close[] = {'\x88', '\x82', 0, 0, 0, 0, '\x03', '\xe8'};
      send_all(fd, close, sizeof close);
      ::close(fd);
    });
  }
  const auto start = Clock::now();
  for (std::thread& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  if (failed) {
    std::fprintf(stderr, "httpfsm-bench-ws-client: a connection failed\n");
    return 1;
  }
  const double rate = static_cast<double>(messages) / elapsed;
  const double rtt_us =
      windows > 0 ? elapsed * 1e6 * connections / static_cast<double>(windows.load()) : 0;
  std::printf("messages/s %.0f window_rtt_us %.1f messages %llu\n", rate, rtt_us,
              static_cast<unsigned long long>(messages.load()));
  return 0;
}
