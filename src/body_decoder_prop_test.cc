// Properties of BodyDecoder (RFC 9112 §6.3, §7.1) over bodies generated from the grammar
// (src/testing/request_model.hpp): any chunking decodes to the body, in any split, never
// handing out more than the chunk sizes announce; prefixes need more; forbidden bytes and
// limits fail where documented.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "char_class.hpp"
#include "httpfsm/body_decoder.hpp"
#include "test_support.hpp"
#include "testing/chunked_reference.hpp"
#include "testing/request_model.hpp"

namespace httpfsm {
namespace {

using testing::escape;
using testing::FlushBuffer;
using testing::RequestModel;
using testing::Wire;
namespace model = testing::gen;

Limits roomy() {
  Limits l;
  l.max_chunk_ext = 1 << 16;
  l.max_trailer = 1 << 20;
  l.max_field_line = 1 << 20;
  l.max_fields = 1000;
  return l;
}

std::vector<std::size_t> cuts_for(std::size_t size) {
  const auto seeds =
      *rc::gen::container<std::vector<std::size_t>>(rc::gen::inRange<std::size_t>(0, size + 1));
  std::vector<std::size_t> cuts;
  for (std::size_t s : seeds) {
    if (s > 0 && s < size) cuts.push_back(s);
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  return cuts;
}

// What decoding a body stream gave, with every data slice checked as it comes.
struct Decoded {
  Progress progress = Progress::need_more;
  Error error = Error::none;
  std::uint64_t error_offset = 0;
  std::string content;
  std::vector<std::pair<std::string, std::string>> trailers;
  std::size_t consumed = 0;
  // Where each data slice sat in the stream: [offset, offset + length).
  std::vector<testing::Region> slices;
  friend bool operator==(const Decoded&, const Decoded&) = default;
};

void showValue(const Decoded& d, std::ostream& os) {
  os << "{" << rc::toString(d.progress);
  if (d.progress == Progress::failed) os << " " << error_name(d.error) << " @" << d.error_offset;
  os << " content=\"" << escape(d.content) << "\" consumed=" << d.consumed << " trailers=[";
  for (const auto& [n, v] : d.trailers) os << escape(n) << ": \"" << escape(v) << "\" ";
  os << "]}";
}

// Decodes `body` arriving in pieces cut at `cuts`, as a server would: unconsumed bytes stay
// in its buffer and each call gets a fresh, exactly sized copy (so over-reads fault under
// ASan).
Decoded decode(Framing framing, std::uint64_t content_length, std::string_view body,
               const std::vector<std::size_t>& cuts, const Limits& limits = roomy()) {
  BodyDecoder decoder(limits);
  decoder.start(framing, content_length);
  Decoded out;
  std::string pending;
  std::size_t fed = 0;
  std::vector<std::size_t> ends = cuts;
  ends.push_back(body.size());
  for (const std::size_t end : ends) {
    pending.append(body.substr(fed, end - fed));
    fed = end;
    for (;;) {
      const FlushBuffer buffer(pending);
      const std::span<const char> input = buffer.span();
      const BodyStep step = decoder.decode(input);
      out.progress = step.progress;
      // The step's promises: consumption within the input, data a slice of what it consumed.
      RC_ASSERT(step.consumed <= input.size());
      if (!step.data.empty()) {
        RC_ASSERT(step.data.data() >= input.data());
        RC_ASSERT(step.data.data() + step.data.size() <= input.data() + step.consumed);
        out.slices.push_back(
            {out.consumed + static_cast<std::size_t>(step.data.data() - input.data()),
             step.data.size()});
        out.content.append(step.data.data(), step.data.size());
      }
      if (step.progress == Progress::complete) {
        for (const Field& f : decoder.trailers()) {
          out.trailers.emplace_back(text(input, f.name), text(input, f.value));
        }
      }
      out.consumed += step.consumed;
      pending.erase(0, step.consumed);
      RC_ASSERT(decoder.content_bytes() == out.content.size());
      if (step.progress == Progress::failed) {
        out.error = decoder.error();
        out.error_offset = decoder.error_offset();
        // Nothing at or after the offending byte is consumed, but for a CR found bare only
        // when the next byte arrived: an earlier call may have consumed the CR itself.
        RC_ASSERT(out.consumed <= out.error_offset ||
                  (out.error == Error::bare_cr && out.consumed == out.error_offset + 1));
        out.consumed = out.error_offset;
        return out;
      }
      RC_ASSERT(decoder.body_bytes() == out.consumed);
      if (step.progress == Progress::complete || step.consumed == 0) break;
    }
    if (out.progress == Progress::complete) break;
  }
  return out;
}

Decoded decode_whole(Framing framing, std::uint64_t length, std::string_view body,
                     const Limits& limits = roomy()) {
  return decode(framing, length, body, {}, limits);
}

struct Failure {
  Error error = Error::none;
  std::uint64_t offset = 0;
  friend bool operator==(const Failure&, const Failure&) = default;
};
void showValue(const Failure& f, std::ostream& os) {
  os << error_name(f.error) << " @" << f.offset;
}

Failure failure_of(const Decoded& d) {
  RC_ASSERT(d.progress == Progress::failed);
  return {d.error, d.error_offset};
}

rc::Gen<char> byte_where(bool (*keep)(unsigned char)) {
  std::string bytes;
  for (unsigned c = 0; c < 256; ++c) {
    if (keep(static_cast<unsigned char>(c))) bytes += static_cast<char>(c);
  }
  return rc::gen::elementOf(bytes);
}

std::string with_byte(std::string_view bytes, std::size_t at, char c) {
  std::string s(bytes);
  s[at] = c;
  return s;
}

// The wire form of a chunked body behind a minimal head (the body is what is under test).
Wire wire_of(const testing::ChunkedBody& body) {
  RequestModel m;
  m.method = "POST";
  m.target = "/";
  m.fields = {{"Host", " ", "a", ""}, {"Transfer-Encoding", " ", "chunked", ""}};
  m.framing = Framing::chunked;
  m.chunked = body;
  return testing::serialize(m);
}

Wire chunked_wire() { return wire_of(*model::chunked_body()); }

// A chunked body with at least one chunk extension.
Wire chunked_wire_with_ext() {
  testing::ChunkedBody b = *model::chunked_body();
  const auto k = *rc::gen::inRange<std::size_t>(0, b.chunks.size() + 1);
  std::string& ext = k < b.chunks.size() ? b.chunks[k].ext : b.last_ext;
  if (ext.empty()) ext = *model::chunk_ext();
  return wire_of(b);
}

// A chunked body with at least one trailer field.
Wire chunked_wire_with_trailers() {
  testing::ChunkedBody b = *model::chunked_body();
  if (b.trailers.empty()) b.trailers.push_back(*model::plain_field_line());
  return wire_of(b);
}

// A chunked body with at least one chunk of data.
testing::ChunkedBody chunked_body_with_data() {
  testing::ChunkedBody b = *model::chunked_body();
  if (b.chunks.empty()) b.chunks.push_back({"1", "", "x"});
  return b;
}

// ---------------------------------------------------------------------------------------

RC_GTEST_PROP(BodyDecoderProperty, chunked_decoding_of_any_chunking_gives_back_the_body, ()) {
  const RequestModel m = *model::request(Framing::chunked);
  const Wire w = testing::serialize(m);
  RC_TAG(m.chunked.chunks.size() < 2 ? "0-1 chunks" : "several chunks",
         m.chunked.trailers.empty() ? "no trailers" : "trailers",
         w.chunks.size() > 1 && std::any_of(w.chunks.begin(), w.chunks.end(),
                                            [](const auto& c) { return c.ext.length > 0; })
             ? "extensions"
             : "no extensions");
  // A pipelined request after the body must stay unconsumed.
  const std::string stream = std::string(w.body()) + "GET / HTTP/1.1\r\n";
  const Decoded d = decode(Framing::chunked, 0, stream, cuts_for(stream.size()));
  RC_ASSERT(d.progress == Progress::complete);
  RC_ASSERT(d.content == m.content);
  RC_ASSERT(d.consumed == w.body().size());
  RC_ASSERT(d.trailers == testing::expected_body(m).trailers);
}

RC_GTEST_PROP(BodyDecoderProperty, never_hands_out_more_than_the_chunk_sizes_announce, ()) {
  const Wire w = chunked_wire();
  const std::string_view body = w.body();
  const Decoded d = decode(Framing::chunked, 0, body, cuts_for(body.size()));
  // Every slice lies inside the chunk-data of one chunk, continuing where that chunk's last
  // slice ended: data never comes from the framing or from beyond an announced size.
  std::vector<std::size_t> delivered(w.chunks.size(), 0);
  for (const testing::Region& s : d.slices) {
    std::size_t k = 0;
    while (k < w.chunks.size() &&
           !(s.offset >= w.chunks[k].data.offset && s.end() <= w.chunks[k].data.end())) {
      ++k;
    }
    RC_ASSERT(k < w.chunks.size());
    RC_ASSERT(s.offset == w.chunks[k].data.offset + delivered[k]);
    delivered[k] += s.length;
  }
  for (std::size_t k = 0; k < w.chunks.size(); ++k) RC_ASSERT(delivered[k] == w.chunks[k].size);
}

RC_GTEST_PROP(BodyDecoderProperty, content_length_body_in_any_split, ()) {
  const std::string content = *model::content(256);
  const std::string stream = content + "GET / HTTP/1.1\r\n";
  const Decoded d =
      decode(Framing::content_length, content.size(), stream, cuts_for(stream.size()));
  RC_ASSERT(d.progress == Progress::complete);
  RC_ASSERT(d.content == content);
  RC_ASSERT(d.consumed == content.size());
}

RC_GTEST_PROP(BodyDecoderProperty, any_split_gives_the_same_outcome, ()) {
  // Valid chunked bodies, and the same with a byte changed, inserted or removed.
  std::string body(chunked_wire().body());
  const int edit = *rc::gen::inRange(0, 4);
  if (edit > 0 && !body.empty()) {
    const auto at = *rc::gen::inRange<std::size_t>(0, body.size());
    const char c = *rc::gen::arbitrary<char>();
    if (edit == 1) body[at] = c;
    if (edit == 2) body.insert(at, 1, c);
    if (edit == 3) body.erase(at, 1);
  }
  RC_LOG() << "body: " << escape(body) << "\n";
  Decoded whole = decode_whole(Framing::chunked, 0, body);
  Decoded split = decode(Framing::chunked, 0, body, cuts_for(body.size()));
  std::vector<std::size_t> every;
  for (std::size_t i = 1; i < body.size(); ++i) every.push_back(i);
  Decoded bytewise = decode(Framing::chunked, 0, body, every);
  // Slices depend on the pieces; what they add up to does not.
  whole.slices.clear();
  split.slices.clear();
  bytewise.slices.clear();
  RC_ASSERT(split == whole);
  RC_ASSERT(bytewise == whole);
}

RC_GTEST_PROP(BodyDecoderProperty, every_proper_prefix_of_a_body_needs_more, ()) {
  const RequestModel m =
      *model::request(*rc::gen::element(Framing::chunked, Framing::content_length));
  const Wire w = testing::serialize(m);
  const std::string_view body = w.body();
  const std::uint64_t length = m.framing == Framing::content_length ? body.size() : 0;
  for (std::size_t n = 0; n < body.size(); ++n) {
    const Decoded d = decode_whole(m.framing, length, body.substr(0, n));
    RC_ASSERT(d.progress == Progress::need_more);
    RC_ASSERT(m.content.starts_with(d.content));
  }
}

RC_GTEST_PROP(BodyDecoderProperty, any_bytes_give_a_listed_outcome, ()) {
  std::string body = *rc::gen::container<std::string>(rc::gen::arbitrary<char>());
  if (*rc::gen::arbitrary<bool>()) {
    std::string valid(chunked_wire().body());
    valid.insert(*rc::gen::inRange<std::size_t>(0, valid.size() + 1), body);
    body = valid;
  }
  RC_LOG() << "body: " << escape(body) << "\n";
  const Decoded d = decode(Framing::chunked, 0, body, cuts_for(body.size()), Limits{});
  RC_ASSERT(d.consumed <= body.size());
  if (d.progress == Progress::failed) {
    RC_ASSERT(d.error != Error::none);
    RC_ASSERT(d.error != Error::truncated);
    RC_ASSERT(error_status(d.error) >= 400);
  }
  // A body never hands out more content than it consumed.
  RC_ASSERT(d.content.size() <= d.consumed);
}

// ---------------------------------------------------------------------------------------
// One wrong byte in the chunked framing: the error on_chunk_syntax_error names, at it.

RC_GTEST_PROP(BodyDecoderProperty, wrong_byte_in_chunk_size_fails_at_it, ()) {
  const Wire w = chunked_wire();
  const auto k = *rc::gen::inRange<std::size_t>(0, w.chunks.size());
  const testing::ChunkRegions& chunk = w.chunks[k];
  const std::size_t size_length = chunk.ext.offset - chunk.header.offset;
  const auto i = *rc::gen::inRange<std::size_t>(0, size_length);
  // Not a hex digit (another size); after the first digit, not what may follow a size (BWS,
  // ";" or the CR of CRLF).
  const char c = *rc::gen::suchThat(rc::gen::arbitrary<char>(), [i](char b) {
    const auto u = static_cast<unsigned char>(b);
    return !detail::is_hexdig(u) && (i == 0 || (b != ';' && b != ' ' && b != '\t' && b != '\r'));
  });
  const std::size_t at = chunk.header.offset + i;
  Failure want{Error::bad_chunk_size, at};
  if (c == '\n') want.error = Error::bare_lf;
  RC_ASSERT(failure_of(decode_whole(Framing::chunked, 0, with_byte(w.body(), at, c))) == want);
}

RC_GTEST_PROP(BodyDecoderProperty, forbidden_byte_in_chunk_ext_fails_at_it, ()) {
  const Wire w = chunked_wire_with_ext();
  std::vector<testing::ChunkRegions> with_ext;
  for (const auto& c : w.chunks) {
    if (c.ext.length > 0) with_ext.push_back(c);
  }
  const testing::ChunkRegions chunk = *rc::gen::elementOf(with_ext);
  const auto i = *rc::gen::inRange<std::size_t>(0, chunk.ext.length);
  // RFC 9112 §7.1.1: no CTL (but HTAB) or DEL anywhere in chunk-ext, quoted or not. CR is
  // left out: where CRLF may end the line, a CR there is a bare CR found one byte later.
  const char c = *byte_where(
      [](unsigned char b) { return (b < 0x20 && b != '\t' && b != '\r') || b == 0x7f; });
  const std::size_t at = chunk.ext.offset + i;
  // The first byte after the size still belongs to the size's line shape.
  Failure want{i == 0 ? Error::bad_chunk_size : Error::bad_chunk_ext, at};
  if (c == '\n') want.error = Error::bare_lf;
  RC_ASSERT(failure_of(decode_whole(Framing::chunked, 0, with_byte(w.body(), at, c))) == want);
}

RC_GTEST_PROP(BodyDecoderProperty, missing_crlf_after_chunk_data_fails_at_it, ()) {
  const Wire w = wire_of(chunked_body_with_data());
  const auto k = *rc::gen::inRange<std::size_t>(0, w.chunks.size() - 1);
  const std::size_t at = w.chunks[k].data.end() + *rc::gen::inRange<std::size_t>(0, 2);
  const char expected = w.body()[at];
  const char c =
      *rc::gen::suchThat(rc::gen::arbitrary<char>(), [expected](char b) { return b != expected; });
  // RFC 9112 §7.1: chunk-data CRLF. Whatever replaces either byte is a bad chunk end.
  RC_ASSERT(failure_of(decode_whole(Framing::chunked, 0, with_byte(w.body(), at, c))) ==
            (Failure{Error::bad_chunk_end, at}));
}

RC_GTEST_PROP(BodyDecoderProperty, forbidden_byte_in_trailer_fails_at_it, ()) {
  const Wire w = chunked_wire_with_trailers();
  const auto j = *rc::gen::inRange<std::size_t>(0, w.trailers.size());
  const testing::FieldRegions& f = w.trailers[j];
  Failure want;
  char c = 0;
  std::size_t at = 0;
  if (*rc::gen::arbitrary<bool>()) {
    // In the name: any non-tchar but the colon (RFC 9110 §5.1).
    const auto i = *rc::gen::inRange<std::size_t>(0, f.name.length);
    c = *byte_where([](unsigned char b) { return !detail::kTchar[b] && b != ':'; });
    at = f.name.offset + i;
    const bool whitespace = c == ' ' || c == '\t';
    want = {Error::bad_field_name, at};
    if (c == '\n') {
      want.error = Error::bare_lf;
    } else if (i == 0 && whitespace) {
      // After a trailer line, a line starting with whitespace is obs-fold (RFC 9112 §5.2);
      // the first trailer line has no line before it to continue.
      want.error = j == 0 ? Error::bad_field_name : Error::obs_fold;
    } else if (i == 0 && c == '\r') {
      want.error = Error::bare_cr;
    } else if (whitespace) {
      want.error = Error::space_before_colon;
    }
  } else {
    // Between the colon and the CRLF: CTLs but HTAB, and DEL (RFC 9110 §5.5).
    const std::size_t begin = f.name.end() + 1;
    const std::size_t end = f.line.end() - 2;
    RC_PRE(begin < end);
    at = *rc::gen::inRange<std::size_t>(begin, end);
    c = *byte_where([](unsigned char b) { return (b < 0x20 && b != '\t') || b == 0x7f; });
    want = {Error::bad_field_value, at};
    if (c == '\n') want.error = Error::bare_lf;
    if (c == '\r') want.error = Error::bare_cr;
  }
  RC_ASSERT(failure_of(decode_whole(Framing::chunked, 0, with_byte(w.body(), at, c))) == want);
}

// ---------------------------------------------------------------------------------------
// Limits: exactly at the limit is accepted, one byte more gives that limit's error.

RC_GTEST_PROP(BodyDecoderProperty, body_limit_is_exact_for_content_length, ()) {
  const std::string content = *rc::gen::nonEmpty(model::content(64));
  Limits l = roomy();
  l.max_body = content.size();
  RC_ASSERT(decode_whole(Framing::content_length, content.size(), content, l).content == content);
  // RFC 9110 §15.5.14: refused before a byte of the content is read.
  l.max_body = content.size() - 1;
  RC_ASSERT(failure_of(decode_whole(Framing::content_length, content.size(), content, l)) ==
            (Failure{Error::body_too_large, 0}));
}

RC_GTEST_PROP(BodyDecoderProperty, body_limit_is_exact_for_chunked, ()) {
  const testing::ChunkedBody b = chunked_body_with_data();
  const Wire w = wire_of(b);
  std::string content;
  for (const auto& c : b.chunks) content += c.data;
  Limits l = roomy();
  l.max_body = content.size();
  RC_ASSERT(decode_whole(Framing::chunked, 0, w.body(), l).content == content);
  // The size digit that takes the announced total past the limit fails, before any data of
  // that chunk is handed out.
  l.max_body = content.size() - 1;
  std::uint64_t before = 0;
  std::optional<std::uint64_t> at;
  for (const auto& chunk : w.chunks) {
    std::uint64_t size = 0;
    for (std::size_t i = chunk.header.offset; i < chunk.ext.offset && !at; ++i) {
      size = size * 16 + detail::hex_value(static_cast<unsigned char>(w.body()[i]));
      if (size > l.max_body - before) at = i;
    }
    if (at) break;
    before += chunk.size;
  }
  RC_ASSERT(at.has_value());
  RC_ASSERT(failure_of(decode_whole(Framing::chunked, 0, w.body(), l)) ==
            (Failure{Error::body_too_large, *at}));
}

RC_GTEST_PROP(BodyDecoderProperty, chunk_ext_limit_is_exact, ()) {
  const Wire w = chunked_wire_with_ext();
  std::size_t longest = 0;
  std::size_t at = 0;
  for (const auto& c : w.chunks) {
    if (c.ext.length > longest) {
      longest = c.ext.length;
      at = c.ext.offset + c.ext.length - 1;  // the first byte past the limit
    }
  }
  Limits l = roomy();
  l.max_chunk_ext = static_cast<std::uint32_t>(longest);
  RC_ASSERT(decode_whole(Framing::chunked, 0, w.body(), l).progress == Progress::complete);
  l.max_chunk_ext = static_cast<std::uint32_t>(longest - 1);
  RC_ASSERT(failure_of(decode_whole(Framing::chunked, 0, w.body(), l)) ==
            (Failure{Error::chunk_ext_too_long, at}));
}

RC_GTEST_PROP(BodyDecoderProperty, trailer_section_limit_is_exact, ()) {
  const Wire w = chunked_wire_with_trailers();
  const std::size_t size = w.trailer_section.length;  // final CRLF included
  Limits l = roomy();
  l.max_trailer = static_cast<std::uint32_t>(size);
  RC_ASSERT(decode_whole(Framing::chunked, 0, w.body(), l).progress == Progress::complete);
  l.max_trailer = static_cast<std::uint32_t>(size - 1);
  RC_ASSERT(failure_of(decode_whole(Framing::chunked, 0, w.body(), l)) ==
            (Failure{Error::trailer_too_large, w.trailer_section.offset + size - 1}));
}

RC_GTEST_PROP(BodyDecoderProperty, trailer_field_line_and_count_limits_are_exact, ()) {
  const Wire w = chunked_wire_with_trailers();
  std::size_t longest = 0;
  std::size_t at = 0;
  for (const auto& f : w.trailers) {
    if (f.line.length > longest) {
      longest = f.line.length;
      at = f.line.offset + f.line.length - 1;
    }
  }
  Limits l = roomy();
  if (longest > kMinimumLimits.max_field_line) {
    l.max_field_line = static_cast<std::uint32_t>(longest);
    RC_ASSERT(decode_whole(Framing::chunked, 0, w.body(), l).progress == Progress::complete);
    l.max_field_line = static_cast<std::uint32_t>(longest - 1);
    RC_ASSERT(failure_of(decode_whole(Framing::chunked, 0, w.body(), l)) ==
              (Failure{Error::field_too_long, at}));
  }
  l = roomy();
  const std::size_t n = w.trailers.size();
  l.max_fields = static_cast<std::uint32_t>(n);
  RC_ASSERT(decode_whole(Framing::chunked, 0, w.body(), l).progress == Progress::complete);
  if (n >= 2) {
    l.max_fields = static_cast<std::uint32_t>(n - 1);
    RC_ASSERT(failure_of(decode_whole(Framing::chunked, 0, w.body(), l)) ==
              (Failure{Error::too_many_fields, w.trailers.back().name.offset}));
  }
}

// A value near `actual`, or a roomy one.
std::uint32_t limit_near(std::size_t actual, std::uint32_t minimum) {
  std::vector<std::size_t> choices;
  for (std::size_t d = 0; d < 3; ++d) {
    choices.push_back(actual + d);
    if (actual >= d) choices.push_back(actual - d);
  }
  const std::size_t v =
      *rc::gen::weightedOneOf<std::size_t>({{1, rc::gen::just<std::size_t>(1u << 20)},
                                            {4, rc::gen::elementOf(choices)},
                                            {1, rc::gen::inRange<std::size_t>(0, actual + 2)}});
  return static_cast<std::uint32_t>(std::max<std::size_t>(v, minimum));
}

RC_GTEST_PROP(BodyDecoderProperty, any_limits_give_the_first_limit_crossed, ()) {
  const testing::ChunkedBody b = *model::chunked_body();
  const Wire w = wire_of(b);
  const std::string_view body = w.body();
  std::string content;
  for (const auto& c : b.chunks) content += c.data;
  std::size_t longest_ext = 0;
  for (const auto& c : w.chunks) longest_ext = std::max(longest_ext, c.ext.length);
  std::size_t longest_line = 0;
  for (const auto& f : w.trailers) longest_line = std::max(longest_line, f.line.length);
  Limits l;
  l.max_body = limit_near(content.size(), 0);
  l.max_chunk_ext = limit_near(longest_ext, 0);
  l.max_trailer = limit_near(w.trailer_section.length, kMinimumLimits.max_trailer);
  l.max_field_line = limit_near(longest_line, kMinimumLimits.max_field_line);
  l.max_fields = limit_near(w.trailers.size(), kMinimumLimits.max_fields);
  RC_LOG() << "limits: body " << l.max_body << " ext " << l.max_chunk_ext << " trailer "
           << l.max_trailer << " line " << l.max_field_line << " fields " << l.max_fields << "\n";

  // The reference: each limit the body crosses, at the first byte past it.
  std::vector<Failure> crossed;
  std::uint64_t before = 0;  // content of the chunks before this one
  for (const auto& chunk : w.chunks) {
    // RFC 9110 §15.5.14: the size digit that announces more than the limit leaves.
    std::uint64_t size = 0;
    for (std::size_t i = chunk.header.offset; i < chunk.ext.offset; ++i) {
      size = size * 16 + detail::hex_value(static_cast<unsigned char>(body[i]));
      if (size > l.max_body - std::min<std::uint64_t>(l.max_body, before)) {
        crossed.push_back({Error::body_too_large, i});
        break;
      }
    }
    if (chunk.ext.length > l.max_chunk_ext) {
      crossed.push_back({Error::chunk_ext_too_long, chunk.ext.offset + l.max_chunk_ext});
    }
    before += chunk.size;
  }
  // Trailer lines are limited by max_field_line, the section by max_trailer (final CRLF
  // included); where a line's limit reaches the section's, the section's applies.
  const std::size_t section = w.trailer_section.offset;
  for (std::size_t j = 0; j < w.trailers.size(); ++j) {
    const testing::FieldRegions& f = w.trailers[j];
    if (j == l.max_fields) crossed.push_back({Error::too_many_fields, f.line.offset});
    const std::size_t line_end = f.line.offset - section + l.max_field_line;
    if (f.line.length > l.max_field_line && line_end < l.max_trailer) {
      crossed.push_back({Error::field_too_long, section + line_end});
    }
  }
  if (w.trailer_section.length > l.max_trailer) {
    crossed.push_back({Error::trailer_too_large, section + l.max_trailer});
  }
  const auto first = std::min_element(crossed.begin(), crossed.end(), [](auto& x, auto& y) {
    return x.offset < y.offset || (x.offset == y.offset && x.error == Error::trailer_too_large &&
                                   y.error != Error::trailer_too_large);
  });

  Decoded d = decode(Framing::chunked, 0, body, cuts_for(body.size()), l);
  if (first != crossed.end()) {
    RC_ASSERT(failure_of(d) == *first);
    // The content handed out before the error is a prefix of the body's.
    RC_ASSERT(content.starts_with(d.content));
  } else {
    RC_ASSERT(d.progress == Progress::complete);
    RC_ASSERT(d.content == content);
    RC_ASSERT(d.consumed == body.size());
  }
}

// Bodies close to the grammar: a valid chunked body with a few bytes changed, inserted or
// removed, or bytes drawn from the framing's own alphabet.
std::string near_chunked_bytes() {
  const std::string alphabet = "0123456789abcdefABCDEF;= \t\r\n\"\\:xX!\x01\x7f\xe9";
  const auto byte = rc::gen::weightedOneOf<char>(
      {{4, rc::gen::elementOf(alphabet)}, {1, rc::gen::arbitrary<char>()}});
  if (*rc::gen::inRange(0, 4) == 0) {
    return *rc::gen::container<std::string>(byte);
  }
  std::string body(chunked_wire().body());
  const int edits = *rc::gen::inRange(1, 4);
  for (int i = 0; i < edits; ++i) {
    const auto at = *rc::gen::inRange<std::size_t>(0, body.size() + 1);
    const int kind = *rc::gen::inRange(0, 3);
    if (kind == 0 && at < body.size()) body[at] = *byte;
    if (kind == 1) body.insert(at, 1, *byte);
    if (kind == 2 && at < body.size()) body.erase(at, 1);
  }
  return body;
}

RC_GTEST_PROP(BodyDecoderProperty, agrees_with_a_reference_recognizer_on_any_bytes, ()) {
  const std::string body = near_chunked_bytes();
  RC_LOG() << "body: " << escape(body) << "\n";
  const testing::ChunkedVerdict v = testing::recognize_chunked(body);
  Limits unlimited;
  unlimited.max_body = UINT64_MAX;
  unlimited.max_chunk_ext = 1u << 30;
  unlimited.max_trailer = 1u << 30;
  unlimited.max_field_line = 1u << 30;
  unlimited.max_fields = 1000;
  const Decoded d = decode(Framing::chunked, 0, body, cuts_for(body.size()), unlimited);
  RC_TAG(v.kind == testing::ChunkedVerdict::Kind::complete    ? "complete"
         : v.kind == testing::ChunkedVerdict::Kind::need_more ? "need_more"
                                                              : "invalid");
  RC_ASSERT(d.content == v.content);
  switch (v.kind) {
    case testing::ChunkedVerdict::Kind::complete:
      RC_ASSERT(d.progress == Progress::complete);
      RC_ASSERT(d.consumed == v.offset);
      break;
    case testing::ChunkedVerdict::Kind::need_more:
      RC_ASSERT(d.progress == Progress::need_more);
      break;
    case testing::ChunkedVerdict::Kind::invalid:
      // The decoder names a CR that awaited its LF as the offending byte (bare_cr), except
      // after chunk-data, where whatever is wrong is a bad chunk end at the byte itself.
      RC_ASSERT(d.progress == Progress::failed);
      RC_ASSERT(d.error_offset == (v.after_cr && !v.in_data_end ? v.offset - 1 : v.offset));
      break;
  }
}

}  // namespace
}  // namespace httpfsm
