// Property of the /ws/echo session (RFC 6455 §5.4, §5.5.2, RFC 7692 §7): whatever messages a
// client sends, fragmented anywhere, with pings between fragments, compressed or not under
// any of several deflate agreements, and however the bytes are cut into reads, the session
// answers with the pongs and the same messages, in order, each as one frame of its type.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "httpfsm/websocket_frame.hpp"
#include "websocket_session.hpp"

namespace httpfsm::server {
namespace {

// One direction of permessage-deflate as a peer would run it.
class Zlib {
 public:
  Zlib(bool reset_after) : reset_(reset_after) {
    RC_ASSERT(deflateInit2(&d_, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    RC_ASSERT(inflateInit2(&i_, -15) == Z_OK);
  }
  Zlib(const Zlib&) = delete;
  Zlib& operator=(const Zlib&) = delete;
  ~Zlib() {
    deflateEnd(&d_);
    inflateEnd(&i_);
  }
  std::string compress(const std::string& data) {
    std::string out(deflateBound(&d_, static_cast<uLong>(data.size())) + 16, '\0');
    d_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    d_.avail_in = static_cast<uInt>(data.size());
    d_.next_out = reinterpret_cast<Bytef*>(out.data());
    d_.avail_out = static_cast<uInt>(out.size());
    deflate(&d_, Z_SYNC_FLUSH);
    out.resize(out.size() - d_.avail_out);
    // RFC 7692 §7.2.1 (drop 00 00 ff ff), §7.2.3.6 (nothing pending: the byte 0x00).
    out = out.size() >= 4 ? out.substr(0, out.size() - 4) : std::string(1, '\0');
    if (reset_) deflateReset(&d_);
    return out;
  }
  std::string decompress(std::string payload, bool reset_after) {
    payload += std::string("\0\0\xff\xff", 4);
    std::string out;
    i_.next_in = reinterpret_cast<Bytef*>(payload.data());
    i_.avail_in = static_cast<uInt>(payload.size());
    std::string chunk(1 << 16, '\0');
    do {
      i_.next_out = reinterpret_cast<Bytef*>(chunk.data());
      i_.avail_out = static_cast<uInt>(chunk.size());
      const int r = inflate(&i_, Z_SYNC_FLUSH);
      RC_ASSERT(r == Z_OK || r == Z_BUF_ERROR);
      out.append(chunk.data(), chunk.size() - i_.avail_out);
    } while (i_.avail_in > 0 || i_.avail_out == 0);
    if (reset_after) inflateReset(&i_);
    return out;
  }

 private:
  z_stream d_{};
  z_stream i_{};
  bool reset_;
};

std::string client_frame(Opcode op, bool fin, bool rsv1, const std::string& payload) {
  FrameFields f;
  f.opcode = op;
  f.fin = fin;
  f.rsv1 = rsv1;
  f.masked = true;
  f.key = *rc::gen::arbitrary<MaskKey>();
  std::string out(frame_header_size(payload.size(), true) + payload.size(), '\0');
  out.resize(
      write_frame(std::span<char>(out.data(), out.size()), f, {payload.data(), payload.size()}));
  return out;
}

RC_GTEST_PROP(WebSocketSession, echoes_every_message_in_order_under_any_split_and_agreement, ()) {
  const std::string offer = *rc::gen::element<std::string>(
      "", "permessage-deflate", "permessage-deflate; server_no_context_takeover",
      "permessage-deflate; client_no_context_takeover; server_max_window_bits=9",
      "permessage-deflate; server_no_context_takeover; client_no_context_takeover");
  const DeflateAgreement agreement = negotiate_deflate(offer, DeflateConfig{});
  RC_ASSERT(agreement.accepted == !offer.empty());
  Zlib client(agreement.params.client_no_context_takeover);

  std::string wire;
  std::vector<std::pair<Opcode, std::string>> expected;  // pongs and echoes, in order
  const std::size_t count = *rc::gen::inRange<std::size_t>(0, 6);
  for (std::size_t m = 0; m < count; ++m) {
    const bool text = *rc::gen::arbitrary<bool>();
    std::string message = *rc::gen::arbitrary<std::string>();
    if (text) {  // ASCII plus a two-byte character, so it is valid UTF-8
      for (char& c : message) c = static_cast<char>(static_cast<unsigned char>(c) % 0x80);
      message += "\xc3\xa9";
    }
    const bool compress = agreement.accepted && *rc::gen::arbitrary<bool>();
    const std::string payload = compress ? client.compress(message) : message;
    std::vector<std::size_t> cuts = *rc::gen::container<std::vector<std::size_t>>(
        rc::gen::inRange<std::size_t>(0, payload.size() + 1));
    std::sort(cuts.begin(), cuts.end());
    cuts.push_back(payload.size());
    std::size_t from = 0;
    for (std::size_t k = 0; k < cuts.size(); ++k) {
      const bool last = k + 1 == cuts.size();
      wire += client_frame(k == 0 ? (text ? Opcode::text : Opcode::binary) : Opcode::continuation,
                           last, compress && k == 0, payload.substr(from, cuts[k] - from));
      from = cuts[k];
      if (!last && *rc::gen::inRange(0, 3) == 0) {
        const std::string ping = *rc::gen::container<std::string>(
            *rc::gen::inRange<std::size_t>(0, 126), rc::gen::arbitrary<char>());
        wire += client_frame(Opcode::ping, true, false, ping);
        expected.emplace_back(Opcode::pong, ping);
      }
    }
    expected.emplace_back(text ? Opcode::text : Opcode::binary, message);
  }

  WebSocketSession session({}, agreement);
  std::size_t from = 0;
  std::vector<std::size_t> reads = *rc::gen::container<std::vector<std::size_t>>(
      rc::gen::inRange<std::size_t>(0, wire.size() + 1));
  std::sort(reads.begin(), reads.end());
  reads.push_back(wire.size());
  std::string output;
  for (std::size_t end : reads) {
    session.on_bytes(std::string_view(wire).substr(from, end - from));
    from = end;
    output += session.output();  // sent in between, as the connection would
    session.consume_output(session.output().size());
  }
  RC_ASSERT(!session.done());

  FrameDecoderOptions o;
  o.role = Role::client;
  o.permessage_deflate = true;
  o.max_message = 1u << 30;
  FrameDecoder reader(o);
  std::span<char> rest(output.data(), output.size());
  std::vector<std::pair<Opcode, std::string>> got;
  for (;;) {
    const FrameStep s = reader.decode(rest);
    rest = rest.subspan(s.consumed);
    RC_ASSERT(s.event != FrameEvent::failed);
    if (s.event == FrameEvent::need_more) break;
    std::string data(s.data.data(), s.data.size());
    if (s.event == FrameEvent::data) {
      RC_ASSERT(s.message_end);  // §5.4 allows fragments, but the echo is one frame
      RC_ASSERT(s.compressed == agreement.accepted);
      if (s.compressed) data = client.decompress(data, agreement.params.server_no_context_takeover);
    }
    got.emplace_back(s.opcode, data);
  }
  RC_ASSERT(rest.empty());
  RC_ASSERT(got == expected);
}

}  // namespace
}  // namespace httpfsm::server
