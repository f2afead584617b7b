// body_decoder_fuzzer: BodyDecoder alone, with the framing, Content-Length and limits taken
// from the input. Checks:
//   - every decode() call against the contract (decode_body() in request_stream.cc);
//   - whole, split and byte-by-byte feeding give the same record;
//   - the result agrees with a reference decoder written here from RFC 9112 §7.1's ABNF, which
//     reads the whole input at once and finds the first byte no chunked body can continue
//     with: outcome, consumed bytes, content, trailers, and the error with its offset.
//
// Input layout: [framing] [content-length: 2] [limits: 6] [mode] [cut count] [2 per cut] body
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fuzz_check.hpp"
#include "fuzz_input.hpp"
#include "http_syntax.hpp"
#include "request_stream.hpp"

namespace httpfsm::fuzz {
namespace {

// The reference: a direct reading of RFC 9112 §7.1 over the whole input.
//   chunked-body   = *chunk last-chunk trailer-section CRLF
//   chunk          = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
//   chunk-ext      = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
//   chunk-ext-val  = token / quoted-string
//   trailer-section = *( field-line CRLF ),  field-line = field-name ":" OWS field-value OWS
// plus the limits as limits.hpp defines them. Error names follow error.hpp: a failure right
// after a CR is bare_cr at the CR, an unexpected LF is bare_lf, a missing CRLF after chunk
// data is bad_chunk_end, otherwise the part being read names it.
class ReferenceChunked {
 public:
  ReferenceChunked(std::string_view in, const Limits& limits) : in_(in), limits_(limits) {}

  BodyRecord run() {
    // The record's progress: complete, need_more (input ended; reported as truncated), failed.
    chunks();
    if (out_.progress == Progress::need_more) {
      out_.progress = Progress::failed;
      out_.error = Error::truncated;
      out_.error_offset = consumed_at_end_;
      out_.consumed = consumed_at_end_;
    }
    return out_;
  }

 private:
  enum class Part { size, ext, trailers_name, trailers_value };

  bool at_end() const { return i_ >= in_.size(); }
  unsigned char cur() const { return static_cast<unsigned char>(in_[i_]); }

  // Input ended: every byte so far is a viable prefix. `consumed` is what the decoder has
  // consumed by then: everything it scanned, except a trailer section, which stays
  // unconsumed until complete.
  void need_more(std::size_t consumed) {
    out_.progress = Progress::need_more;
    out_.trailers.clear();
    consumed_at_end_ = consumed;
  }
  void fail(Error e, std::size_t at) {
    out_.progress = Progress::failed;
    out_.error = e;
    out_.error_offset = at;
    out_.consumed = 0;
    out_.trailers.clear();  // reported only once the body is complete
  }
  // The byte at i_ cannot continue the body.
  void syntax_error(Part part) {
    if (i_ > 0 && in_[i_ - 1] == '\r') return fail(Error::bare_cr, i_ - 1);
    if (cur() == '\n') return fail(Error::bare_lf, i_);
    switch (part) {
      case Part::size:
        return fail(Error::bad_chunk_size, i_);
      case Part::ext:
        return fail(Error::bad_chunk_ext, i_);
      case Part::trailers_name:
        return fail(Error::bad_field_name, i_);
      case Part::trailers_value:
        return fail(Error::bad_field_value, i_);
    }
  }

  void chunks() {
    std::uint64_t content = 0;
    for (;;) {
      // chunk-size = 1*HEXDIG
      const std::size_t size_start = i_;
      std::uint64_t size = 0;
      while (!at_end() && is_hexdig(cur())) {
        if (size > (std::numeric_limits<std::uint64_t>::max() >> 4)) {
          return fail(Error::bad_chunk_size, i_);
        }
        size = size * 16 + hex_value(cur());
        if (size > limits_.max_body - std::min(limits_.max_body, content)) {
          return fail(Error::body_too_large, i_);
        }
        ++i_;
      }
      if (at_end()) return need_more(in_.size());
      if (i_ == size_start) return syntax_error(Part::size);
      if (!chunk_ext()) return;
      // chunk_ext() stopped at the CR; a CR not followed by LF is a bare CR whatever the part.
      if (!crlf(Part::ext)) return;
      if (size == 0) return trailers();
      // chunk-data: handed out as it arrives.
      const std::size_t available = in_.size() - i_;
      if (available < size) {
        out_.content.append(in_.substr(i_));
        return need_more(in_.size());
      }
      out_.content.append(in_.substr(i_, static_cast<std::size_t>(size)));
      i_ += static_cast<std::size_t>(size);
      content += size;
      // CRLF after the data: anything else is bad_chunk_end at that byte.
      if (at_end()) return need_more(in_.size());
      if (cur() != '\r') return fail(Error::bad_chunk_end, i_);
      ++i_;
      if (at_end()) return need_more(in_.size());
      if (cur() != '\n') return fail(Error::bad_chunk_end, i_);
      ++i_;
    }
  }

  // Reads "CR LF" at i_; false when the input ended or the bytes are wrong (reported).
  bool crlf(Part part) {
    if (at_end()) {
      need_more(in_.size());
      return false;
    }
    if (cur() != '\r') {
      syntax_error(part);
      return false;
    }
    ++i_;
    if (at_end()) {
      need_more(in_.size());
      return false;
    }
    if (cur() != '\n') {
      syntax_error(part);
      return false;
    }
    ++i_;
    return true;
  }

  // chunk-ext up to (not including) the CR; its bytes count against max_chunk_ext as they are
  // found valid. Leaves i_ at the CR and returns true when the header can end there.
  bool chunk_ext() {
    const std::size_t cr = in_.find('\r', i_);
    const std::string_view ext = in_.substr(i_, cr == std::string_view::npos ? cr : cr - i_);
    const ChunkExtScan scan = scan_chunk_ext(ext);
    const std::size_t valid =
        scan.first_bad == std::string_view::npos ? ext.size() : scan.first_bad;
    if (valid > limits_.max_chunk_ext) {
      fail(Error::chunk_ext_too_long, i_ + limits_.max_chunk_ext);
      return false;
    }
    const Part part = valid > 0 ? Part::ext : Part::size;
    if (scan.first_bad != std::string_view::npos) {
      i_ += scan.first_bad;
      syntax_error(part);
      return false;
    }
    if (cr == std::string_view::npos) {
      need_more(in_.size());
      return false;
    }
    i_ = cr;
    if (!scan.complete) {
      syntax_error(part);
      return false;
    }
    return true;
  }

  void trailers() {
    const std::size_t base = i_;
    std::size_t line_start = 0;  // relative to base
    bool first_line = true;
    for (;;) {
      // The limit on this line (or on the whole section, whichever comes first).
      const std::uint64_t line_end = std::uint64_t{line_start} + limits_.max_field_line;
      const bool line_limit = line_end < limits_.max_trailer;
      const std::size_t limit =
          static_cast<std::size_t>(line_limit ? line_end : limits_.max_trailer);
      const Error limit_error = line_limit ? Error::field_too_long : Error::trailer_too_large;
      // Bytes at or past base + limit are never read: reaching there is the limit's error,
      // even when the input ends exactly there.
      const auto over = [&] { return i_ - base >= limit; };
      const auto stop = [&](Error& e) {
        if (over()) {
          e = limit_error;
          return true;
        }
        if (at_end()) {
          need_more(base);
          return true;
        }
        return false;
      };
      Error e = Error::none;
      if (stop(e)) return e == Error::none ? void() : fail(e, base + limit);
      if (cur() == '\r') {
        ++i_;
        if (stop(e)) return e == Error::none ? void() : fail(e, base + limit);
        if (cur() != '\n') return syntax_error(Part::trailers_name);
        ++i_;
        out_.progress = Progress::complete;
        out_.consumed = i_;
        return;
      }
      if (!first_line && (cur() == ' ' || cur() == '\t')) return fail(Error::obs_fold, i_);
      if (!is_tchar(cur())) return syntax_error(Part::trailers_name);
      if (out_.trailers.size() == limits_.max_fields) return fail(Error::too_many_fields, i_);
      const std::size_t name_start = i_;
      while (!over() && !at_end() && is_tchar(cur())) ++i_;
      if (stop(e)) return e == Error::none ? void() : fail(e, base + limit);
      if (cur() == ' ' || cur() == '\t') return fail(Error::space_before_colon, i_);
      if (cur() != ':') return syntax_error(Part::trailers_name);
      const std::string_view name = in_.substr(name_start, i_ - name_start);
      ++i_;
      const std::size_t value_start = i_;
      while (!over() && !at_end() && (is_field_vchar(cur()) || cur() == ' ' || cur() == '\t')) ++i_;
      if (stop(e)) return e == Error::none ? void() : fail(e, base + limit);
      if (cur() != '\r') return syntax_error(Part::trailers_value);
      const std::string_view value = trim_ows(in_.substr(value_start, i_ - value_start));
      ++i_;
      if (stop(e)) return e == Error::none ? void() : fail(e, base + limit);
      if (cur() != '\n') return syntax_error(Part::trailers_value);
      ++i_;
      out_.trailers.emplace_back(name, value);
      line_start = i_ - base;
      first_line = false;
    }
  }

  std::string_view in_;
  Limits limits_;
  std::size_t i_ = 0;
  std::size_t consumed_at_end_ = 0;
  BodyRecord out_;
};

BodyRecord reference_content_length(std::string_view in, std::uint64_t length,
                                    const Limits& limits) {
  BodyRecord r;
  if (length > limits.max_body) {
    r.progress = Progress::failed;
    r.error = Error::body_too_large;
    return r;
  }
  const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(length, in.size()));
  r.content = std::string(in.substr(0, n));
  r.consumed = n;
  if (n == length) {
    r.progress = Progress::complete;
  } else {
    r.progress = Progress::failed;
    r.error = Error::truncated;
    r.error_offset = n;
  }
  return r;
}

// Limits the decoder uses as given (at or above kMinimumLimits), small enough to be reached.
Limits body_limits(FuzzInput& in) {
  Limits l;
  const std::uint16_t body = in.u16();
  if (body == 0xfffe) {
    l.max_body = std::numeric_limits<std::uint64_t>::max();  // reaches chunk-size overflow
  } else if (body != 0xffff) {
    l.max_body = body;
  }
  const std::uint8_t ext = in.byte();
  if (ext < 0xf0) l.max_chunk_ext = ext % 64;
  const std::uint8_t trailer = in.byte();
  if (trailer < 0xf0) l.max_trailer = 2u + trailer;
  const std::uint8_t line = in.byte();
  if (line < 0xf0) l.max_field_line = 4u + line % 80;
  const std::uint8_t fields = in.byte();
  if (fields < 0xf0) l.max_fields = 1u + fields % 16;
  return l;
}

}  // namespace
}  // namespace httpfsm::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace httpfsm;
  using namespace httpfsm::fuzz;
  FuzzInput in(data, size);
  const std::uint8_t framing_byte = in.byte();
  const Framing framing = framing_byte % 4 == 0   ? Framing::content_length
                          : framing_byte % 4 == 1 ? Framing::no_body
                                                  : Framing::chunked;
  const std::uint64_t content_length = in.u16();
  const Limits limits = body_limits(in);
  const std::uint8_t mode = in.byte();
  const SplitPoints split_points = in.split_points(16);
  const std::string_view body = in.rest();
  const std::vector<std::size_t> cuts = split_points.at(body.size());

  const BodyRecord whole = decode_body(framing, content_length, body, limits);
  const auto ctx = [&] {
    return std::string("body: \"" + escape(body) + "\"\nwhole: " + describe(whole));
  };

  BodyRecord expected;
  switch (framing) {
    case Framing::no_body:
      expected.progress = Progress::complete;
      break;
    case Framing::content_length:
      expected = reference_content_length(body, content_length, limits);
      break;
    case Framing::chunked:
      expected = ReferenceChunked(body, limits).run();
      break;
    case Framing::until_close:
      return 0;  // not chosen above: a response's body (response_parser_fuzzer)
  }
  HTTPFSM_FUZZ_CHECK(whole == expected, ctx() + "\nreference: " + describe(expected));

  const BodyRecord split = decode_body(framing, content_length, body, limits, cuts);
  HTTPFSM_FUZZ_CHECK(split == whole, ctx() + "\nsplit: " + describe(split));
  if ((mode & 1) != 0 && body.size() <= 2048) {
    std::vector<std::size_t> every(body.size());
    for (std::size_t i = 0; i < every.size(); ++i) every[i] = i;
    const BodyRecord bytewise = decode_body(framing, content_length, body, limits, every);
    HTTPFSM_FUZZ_CHECK(bytewise == whole, ctx() + "\nbytewise: " + describe(bytewise));
  }
  return 0;
}
