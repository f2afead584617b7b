// websocket_session_fuzzer: the server's WebSocketSession (server/websocket_session.hpp) with
// permessage-deflate (RFC 7692), driven by a client written here. The input is a script:
//   [agreement] then commands, each [kind] [length] [length bytes]:
//     kind % 4 == 0  a message compressed by the client's zlib (RSV1), opcode from kind bit 2
//     kind % 4 == 1  an uncompressed message
//     kind % 4 == 2  a control frame (ping, pong or close by kind bits 2-3)
//     kind % 4 == 3  the bytes as they are (anything: broken frames, corrupt deflate data)
//   agreement bits: 0 server_no_context_takeover, 1 client_no_context_takeover,
//   2-3 server_max_window_bits (15, 12, 9, 10), 4-5 max_message (1 MiB, 64, 4096, 0).
// Checks: the session never crashes; its output is a valid stream of unmasked server frames
// (read by a client-role FrameDecoder with deflate); every compressed echo inflates; once the
// session is done the last frame is a Close and nothing follows; feeding the same bytes cut
// in two gives the same output.
#include <zlib.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "httpfsm/websocket_frame.hpp"
#include "httpfsm/websocket_utf8.hpp"
#include "websocket_session.hpp"

namespace httpfsm::fuzz {
namespace {

class Client {
 public:
  explicit Client(int window_bits) {
    ok_ = deflateInit2(&z_, 6, Z_DEFLATED, -window_bits, 8, Z_DEFAULT_STRATEGY) == Z_OK;
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  ~Client() {
    if (ok_) deflateEnd(&z_);
  }
  std::string compress(std::string_view data) {
    if (!ok_) return {};
    std::string out(deflateBound(&z_, static_cast<uLong>(data.size())) + 16, '\0');
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z_.avail_in = static_cast<uInt>(data.size());
    z_.next_out = reinterpret_cast<Bytef*>(out.data());
    z_.avail_out = static_cast<uInt>(out.size());
    deflate(&z_, Z_SYNC_FLUSH);
    out.resize(out.size() - z_.avail_out);
    if (out.size() >= 4) {
      out.resize(out.size() - 4);  // RFC 7692 §7.2.1
    } else {
      out = std::string(1, '\0');  // §7.2.3.6: nothing pending, an empty message is 0x00
    }
    return out;
  }

 private:
  z_stream z_{};
  bool ok_ = false;
};

std::string frame(Opcode op, bool rsv1, std::string_view payload) {
  FrameFields f;
  f.opcode = op;
  f.rsv1 = rsv1;
  f.masked = true;
  f.key = {0x5a, 0x01, 0xc3, 0x7e};
  std::string out(frame_header_size(payload.size(), true) + payload.size(), '\0');
  out.resize(
      write_frame(std::span<char>(out.data(), out.size()), f, {payload.data(), payload.size()}));
  return out;
}

// Checks the session's output and returns how many frames it held.
void check_output(std::string_view output, bool done) {
  FrameDecoderOptions o;
  o.role = Role::client;  // the server's frames: unmasked
  o.permessage_deflate = true;
  o.max_message = 1u << 30;
  o.validate_utf8 = false;  // compressed text is checked after inflating below
  FrameDecoder d(o);
  std::string bytes(output);
  std::span<char> rest(bytes.data(), bytes.size());
  z_stream inflater{};
  HTTPFSM_FUZZ_CHECK(inflateInit2(&inflater, -15) == Z_OK);
  std::string message;
  Opcode last = Opcode::continuation;
  for (;;) {
    const FrameStep s = d.decode(rest);
    rest = rest.subspan(s.consumed);
    HTTPFSM_FUZZ_CHECK(s.event != FrameEvent::failed, std::string(ws_error_name(d.error())));
    if (s.event == FrameEvent::need_more) break;
    last = s.opcode;
    if (s.event != FrameEvent::data) continue;
    message.append(s.data.data(), s.data.size());
    if (!s.message_end) continue;
    // The session never fragments: a message is one frame, here always compressed.
    HTTPFSM_FUZZ_CHECK(s.compressed);
    message += std::string("\0\0\xff\xff", 4);
    std::string plain(1 << 16, '\0');
    inflater.next_in = reinterpret_cast<Bytef*>(message.data());
    inflater.avail_in = static_cast<uInt>(message.size());
    std::string all;
    do {
      inflater.next_out = reinterpret_cast<Bytef*>(plain.data());
      inflater.avail_out = static_cast<uInt>(plain.size());
      const int r = inflate(&inflater, Z_SYNC_FLUSH);
      HTTPFSM_FUZZ_CHECK(r == Z_OK || r == Z_BUF_ERROR, "echo does not inflate");
      all.append(plain.data(), plain.size() - inflater.avail_out);
    } while (inflater.avail_in > 0 || inflater.avail_out == 0);
    if (s.opcode == Opcode::text) HTTPFSM_FUZZ_CHECK(is_valid_utf8({all.data(), all.size()}));
    message.clear();
  }
  inflateEnd(&inflater);
  HTTPFSM_FUZZ_CHECK(rest.empty(), "output ends inside a frame");
  if (done && !output.empty())
    HTTPFSM_FUZZ_CHECK(last == Opcode::close, "done without a Close last");
}

}  // namespace
}  // namespace httpfsm::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace httpfsm;
  if (size < 1) return 0;
  const std::uint8_t agreement_bits = data[0];
  std::string offer = "permessage-deflate";
  if (agreement_bits & 1) offer += "; server_no_context_takeover";
  if (agreement_bits & 2) offer += "; client_no_context_takeover";
  static constexpr const char* kBits[] = {"", "; server_max_window_bits=12",
                                          "; server_max_window_bits=9",
                                          "; server_max_window_bits=10"};
  offer += kBits[(agreement_bits >> 2) & 3];
  const DeflateAgreement agreement = negotiate_deflate(offer, DeflateConfig{});
  HTTPFSM_FUZZ_CHECK(agreement.accepted, offer);
  server::WebSocketConfig config;
  static constexpr std::uint64_t kMax[] = {1u << 20, 64, 4096, 0};
  config.max_message = kMax[(agreement_bits >> 4) & 3];

  // The client's zlib keeps its context unless it agreed not to.
  fuzz::Client client(15);
  std::string wire;
  std::size_t i = 1;
  while (i + 2 <= size) {
    const std::uint8_t kind = data[i];
    const std::size_t len = std::min<std::size_t>(data[i + 1], size - i - 2);
    const std::string_view payload(reinterpret_cast<const char*>(data) + i + 2, len);
    i += 2 + len;
    const Opcode data_op = (kind & 4) != 0 ? Opcode::binary : Opcode::text;
    switch (kind % 4) {
      case 0:
        wire += fuzz::frame(data_op, true, client.compress(payload));
        break;
      case 1:
        wire += fuzz::frame(data_op, false, payload);
        break;
      case 2: {
        static constexpr Opcode kControl[] = {Opcode::ping, Opcode::pong, Opcode::close,
                                              Opcode::ping};
        wire += fuzz::frame(kControl[(kind >> 2) & 3], false, payload.substr(0, 125));
        break;
      }
      default:
        wire += payload;
        break;
    }
  }

  server::WebSocketSession whole(config, agreement);
  whole.on_bytes(wire);
  fuzz::check_output(whole.output(), whole.done());

  const std::size_t cut = wire.empty() ? 0 : data[size - 1] % (wire.size() + 1);
  server::WebSocketSession split(config, agreement);
  split.on_bytes(std::string_view(wire).substr(0, cut));
  split.on_bytes(std::string_view(wire).substr(cut));
  HTTPFSM_FUZZ_CHECK(split.output() == whole.output(), "split changed the output");
  HTTPFSM_FUZZ_CHECK(split.done() == whole.done());
  return 0;
}
