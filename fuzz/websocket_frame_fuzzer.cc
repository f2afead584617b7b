// websocket_frame_fuzzer: FrameDecoder (RFC 6455 §5) on arbitrary bytes, with the options
// and split points taken from the input. Checks:
//   - every decode() call against the contract in websocket_decoder.hpp: consumed within the
//     input, need_more takes every byte, data slices inside the output at the bytes consumed,
//     control payloads at most 125 bytes, errors sticky with a close code of 1002/1007/1009;
//   - whole, split and byte-by-byte feeding, in place or into a separate buffer, give the
//     same record (messages, control frames, error and its offset);
//   - every text message handed out is valid UTF-8 (when validation is on and it is not
//     compressed), and no message exceeds max_message.
//
// Input layout: [options] [cut count] [2 bytes per cut] frames
//   options bit 0 client role, bit 1 permessage-deflate, bit 2 no UTF-8 validation,
//   bits 3-4 max_message (0, 125, 65536, 1 MiB), bit 5 unmask into a separate buffer.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "httpfsm/websocket_decoder.hpp"
#include "httpfsm/websocket_utf8.hpp"

namespace httpfsm::fuzz {
namespace {

struct Record {
  std::string log;  // "text:<payload>;ping:<payload>;close:1000;"
  WsError error = WsError::none;
  std::uint64_t error_offset = 0;
  bool operator==(const Record&) const = default;
};

Record run(std::string_view bytes, const std::vector<std::size_t>& cuts,
           const FrameDecoderOptions& o, bool in_place) {
  FrameDecoder d(o);
  Record r;
  std::string pending;
  std::string message;
  std::size_t from = 0;
  std::vector<std::size_t> ends = cuts;
  ends.push_back(bytes.size());
  for (std::size_t end : ends) {
    pending.append(bytes.substr(from, end - from));
    from = end;
    for (;;) {
      const std::size_t n = pending.size();
      // Exactly n bytes, so an over-read faults under ASan.
      std::unique_ptr<char[]> in(new char[n == 0 ? 1 : n]);
      std::unique_ptr<char[]> out(new char[n == 0 ? 1 : n]);
      if (n != 0) pending.copy(in.get(), n);
      char* const out_base = in_place ? in.get() : out.get();
      const FrameStep s = in_place ? d.decode(std::span<char>(in.get(), n))
                                   : d.decode(std::span<const char>(in.get(), n), out.get());
      HTTPFSM_FUZZ_CHECK(s.consumed <= n);
      if (s.event == FrameEvent::failed) {
        const std::uint16_t code = ws_error_close_code(d.error());
        HTTPFSM_FUZZ_CHECK(code == 1002 || code == 1007 || code == 1009);
        // Sticky: the next call fails again without consuming.
        const FrameStep again = d.decode(std::span<char>(in.get(), n));
        HTTPFSM_FUZZ_CHECK(again.event == FrameEvent::failed && again.consumed == 0);
        r.error = d.error();
        r.error_offset = d.error_offset();
        return r;
      }
      if (s.event == FrameEvent::need_more) {
        HTTPFSM_FUZZ_CHECK(s.consumed == n, "need_more left bytes");
        pending.clear();
        break;
      }
      const std::string_view data(s.data.data(), s.data.size());
      if (s.event == FrameEvent::data) {
        // A data slice lies in the output, inside the bytes this call consumed.
        HTTPFSM_FUZZ_CHECK(
            data.empty() ||
            (s.data.data() >= out_base && s.data.data() + s.data.size() <= out_base + s.consumed));
        HTTPFSM_FUZZ_CHECK(s.opcode == Opcode::text || s.opcode == Opcode::binary);
        message.append(data);
        HTTPFSM_FUZZ_CHECK(message.size() <= o.max_message);
        if (s.message_end) {
          if (s.opcode == Opcode::text && o.validate_utf8 && !s.compressed)
            HTTPFSM_FUZZ_CHECK(is_valid_utf8({message.data(), message.size()}));
          r.log += std::string(opcode_name(s.opcode)) + (s.compressed ? "z:" : ":") + message + ";";
          message.clear();
        }
      } else {
        HTTPFSM_FUZZ_CHECK(is_control(s.opcode) && data.size() <= kMaxControlPayload);
        r.log += std::string(opcode_name(s.opcode)) + ":" + std::string(data) + ";";
        if (s.opcode == Opcode::close) {
          HTTPFSM_FUZZ_CHECK(s.close.error == WsError::none && d.closed());
          r.log += std::to_string(s.close.code) + ";";
        }
      }
      pending.erase(0, s.consumed);
    }
  }
  return r;
}

}  // namespace
}  // namespace httpfsm::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace httpfsm;
  if (size < 2) return 0;
  const std::uint8_t flags = data[0];
  const std::size_t cut_count = std::min<std::size_t>(data[1], 16);
  if (size < 2 + 2 * cut_count) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 2 + 2 * cut_count,
                               size - 2 - 2 * cut_count);
  std::vector<std::size_t> cuts;
  for (std::size_t i = 0; i < cut_count; ++i) {
    const std::size_t at =
        (std::size_t{data[2 + 2 * i]} << 8 | data[3 + 2 * i]) % (bytes.size() + 1);
    cuts.push_back(at);
  }
  std::sort(cuts.begin(), cuts.end());

  FrameDecoderOptions o;
  o.role = (flags & 1) != 0 ? Role::client : Role::server;
  o.permessage_deflate = (flags & 2) != 0;
  o.validate_utf8 = (flags & 4) == 0;
  static constexpr std::uint64_t kMax[] = {0, 125, 65536, 1u << 20};
  o.max_message = kMax[(flags >> 3) & 3];
  const bool in_place = (flags & 32) == 0;

  const fuzz::Record whole = fuzz::run(bytes, {}, o, true);
  const fuzz::Record split = fuzz::run(bytes, cuts, o, in_place);
  HTTPFSM_FUZZ_CHECK(split == whole, "split: " + split.log + " whole: " + whole.log);
  if (bytes.size() <= 512) {
    std::vector<std::size_t> every;
    for (std::size_t i = 1; i < bytes.size(); ++i) every.push_back(i);
    HTTPFSM_FUZZ_CHECK(fuzz::run(bytes, every, o, !in_place) == whole, "byte by byte");
  }
  return 0;
}
