// picohttpparser, as Debian builds it inside libh2o (baseline x86-64, so without its SSE4.2
// path). phr_parse_request (phr_parse_response) fills a caller-provided header array; framing
// is the caller's job, so this adapter finds Content-Length and Transfer-Encoding among the
// fields (as h2o does), skips a Content-Length body, and decodes a chunked one with
// phr_decode_chunked. A response to GET with status 1xx, 204 or 304 has no body (RFC 9112
// §6.3 item 1), whatever its fields say.
// That decoder works in place, so the chunked body is first copied into a scratch buffer
// allocated once (the copy is part of the timed work; documented in docs/PERFORMANCE.md).
#include <strings.h>

#include <cstring>
#include <memory>

#include "parser_adapter.hpp"
#include "pico_api.hpp"

namespace httpfsm::bench {
namespace {

constexpr std::size_t kScratchSize = 64 * 1024;

bool name_is(const phr_header& h, std::string_view name) {
  return h.name_len == name.size() && strncasecmp(h.name, name.data(), name.size()) == 0;
}

template <bool kResponse>
class PicoAdapter final : public SinkDispatch<PicoAdapter<kResponse>> {
 public:
  PicoAdapter() : scratch_(new char[kScratchSize]) {}

 private:
  friend class SinkDispatch<PicoAdapter<kResponse>>;

  template <class Sink>
  RunResult run_with(std::span<const char> buffer, Sink& sink) {
    RunResult r;
    const char* const data = buffer.data();
    const std::size_t size = buffer.size();
    std::size_t pos = 0;
    while (pos < size) {
      std::size_t num_headers = kMaxFields;
      int minor = -1;
      int n = 0;
      bool bodiless = false;
      if constexpr (kResponse) {
        const char* reason = nullptr;
        std::size_t reason_len = 0;
        int status = 0;
        n = phr_parse_response(data + pos, size - pos, &minor, &status, &reason, &reason_len,
                               headers_, &num_headers, 0);
        if (n > 0) sink.status_line(status, {reason, reason_len}, minor);
        bodiless = status < 200 || status == 204 || status == 304;
      } else {
        const char* method = nullptr;
        const char* path = nullptr;
        std::size_t method_len = 0, path_len = 0;
        n = phr_parse_request(data + pos, size - pos, &method, &method_len, &path, &path_len,
                              &minor, headers_, &num_headers, 0);
        if (n > 0) sink.request_line({method, method_len}, {path, path_len}, minor);
      }
      if (n <= 0) {
        r.error = n == -2 ? "partial" : "parse error";
        return r;
      }
      // RFC 9112 §6.3 framing, as far as the corpora need it: Content-Length digits, or a
      // Transfer-Encoding of exactly "chunked".
      bool chunked = false;
      std::size_t content_length = 0;
      for (std::size_t i = 0; i < num_headers; ++i) {
        const phr_header& h = headers_[i];
        sink.field({h.name, h.name_len}, {h.value, h.value_len});
        if (name_is(h, "content-length")) {
          content_length = 0;
          for (std::size_t k = 0; k < h.value_len; ++k) {
            const unsigned digit = static_cast<unsigned char>(h.value[k]) - unsigned{'0'};
            if (digit > 9) {
              r.error = "bad content-length";
              return r;
            }
            content_length = content_length * 10 + digit;
          }
        } else if (name_is(h, "transfer-encoding")) {
          chunked = h.value_len == 7 && strncasecmp(h.value, "chunked", 7) == 0;
        }
      }
      pos += static_cast<std::size_t>(n);
      if (bodiless) {
        // No body.
      } else if (chunked) {
        std::size_t length = size - pos;
        if (length > kScratchSize) {
          r.error = "chunked body larger than the scratch buffer";
          return r;
        }
        std::memcpy(scratch_.get(), data + pos, length);
        phr_chunked_decoder decoder{};
        decoder.consume_trailer = 1;
        const ssize_t left = phr_decode_chunked(&decoder, scratch_.get(), &length);
        if (left < 0) {
          r.error = left == -2 ? "partial body" : "chunked error";
          return r;
        }
        sink.body({scratch_.get(), length});
        pos = size - static_cast<std::size_t>(left);
      } else if (content_length > 0) {
        if (content_length > size - pos) {
          r.error = "partial body";
          return r;
        }
        sink.body({data + pos, content_length});
        pos += content_length;
      }
      sink.end_request();
      ++r.requests;
      r.consumed = pos;
    }
    r.ok = true;
    return r;
  }

  phr_header headers_[kMaxFields];
  std::unique_ptr<char[]> scratch_;
};

}  // namespace

std::unique_ptr<ParserAdapter> make_pico_adapter() {
  return std::make_unique<PicoAdapter<false>>();
}

std::unique_ptr<ParserAdapter> make_pico_response_adapter() {
  return std::make_unique<PicoAdapter<true>>();
}

}  // namespace httpfsm::bench
