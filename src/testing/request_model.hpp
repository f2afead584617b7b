// A model of an HTTP/1.1 request for the property tests: RapidCheck generators built from
// the ABNF of RFC 9112 and RFC 3986, a serializer from the model to wire bytes (with the
// offsets of every part, for mutation and limit properties), and the parse the library
// must produce for it, computed from the model alone.
//
// Test-only: nothing here is part of the library.
#pragma once

#include <rapidcheck.h>

#include <array>
#include <cstdint>
#include <ostream>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "httpfsm/error.hpp"
#include "httpfsm/head_parser.hpp"
#include "httpfsm/request_head.hpp"

namespace httpfsm::testing {

// One field line as sent: name ":" ows_before value ows_after CRLF (RFC 9112 §5). `value` is
// the field-value proper, empty or starting and ending with a field-vchar.
struct FieldLine {
  std::string name;
  std::string ows_before;
  std::string value;
  std::string ows_after;
  friend bool operator==(const FieldLine&, const FieldLine&) = default;
};

// One chunk (RFC 9112 §7.1): size_text is chunk-size as sent (hex of data.size(), any case,
// maybe with leading zeros), ext the chunk-ext as sent (possibly empty).
struct Chunk {
  std::string size_text;
  std::string ext;
  std::string data;
  friend bool operator==(const Chunk&, const Chunk&) = default;
};

struct ChunkedBody {
  std::vector<Chunk> chunks;
  std::string last_size_text = "0";  // last-chunk = 1*("0") [ chunk-ext ] CRLF
  std::string last_ext;
  std::vector<FieldLine> trailers;
  friend bool operator==(const ChunkedBody&, const ChunkedBody&) = default;
};

struct RequestModel {
  std::string leading_crlfs;  // RFC 9112 §2.2: empty lines a server ignores before a request
  std::string method;
  std::string target;
  TargetForm form = TargetForm::origin;
  std::uint8_t minor = 1;  // HTTP/1.<minor>
  // Every field line in order, framing fields (Host, Content-Length, Transfer-Encoding,
  // Connection, Expect) included, consistent with `framing` and `content`.
  std::vector<FieldLine> fields;
  Framing framing = Framing::no_body;
  std::string content;  // the decoded body
  ChunkedBody chunked;  // when framing == chunked; its chunks' data concatenate to `content`
  friend bool operator==(const RequestModel&, const RequestModel&) = default;
};

// A run of bytes in the wire form, as an offset from the first byte of the message.
struct Region {
  std::size_t offset = 0;
  std::size_t length = 0;
  std::size_t end() const { return offset + length; }
  friend bool operator==(const Region&, const Region&) = default;
};

struct FieldRegions {
  Region line;  // the whole line, CRLF included
  Region name;
  Region value;  // without the OWS around it
};

struct ChunkRegions {
  Region header;  // chunk-size, chunk-ext and CRLF
  Region ext;
  Region data;  // empty for the last chunk
  std::uint64_t size = 0;
};

// The wire form of a model, with where each part landed.
struct Wire {
  std::string bytes;
  std::size_t head_size = 0;  // the body starts here
  Region method;
  Region target;
  Region version;  // "HTTP/1.1"
  std::vector<FieldRegions> fields;
  // Body parts, as offsets from the first byte of the body.
  std::vector<ChunkRegions> chunks;  // the last chunk included
  Region trailer_section;            // trailer field lines and the final CRLF
  std::vector<FieldRegions> trailers;
  std::string_view head() const { return std::string_view(bytes).substr(0, head_size); }
  std::string_view body() const { return std::string_view(bytes).substr(head_size); }
};

Wire serialize(const RequestModel& m);

// What a parse yields, in a form that compares and prints: the expected one computed from a
// model, the actual one read back from a RequestHead.
struct HeadView {
  std::string method;
  Method method_id = Method::other;
  std::string target;
  TargetForm form = TargetForm::origin;
  std::uint8_t minor = 1;
  std::vector<std::pair<std::string, std::string>> fields;
  std::array<std::uint16_t, kKnownFieldCount> first{};
  Framing framing = Framing::no_body;
  std::uint64_t content_length = 0;
  bool keep_alive = true;
  bool expect_continue = false;
  std::size_t size = 0;  // bytes of the head
  friend bool operator==(const HeadView&, const HeadView&) = default;
};

struct BodyView {
  std::string content;
  std::vector<std::pair<std::string, std::string>> trailers;
  std::size_t size = 0;  // bytes of the body, framing included
  friend bool operator==(const BodyView&, const BodyView&) = default;
};

// The reference: computed from the model with rules restated from the RFCs, not from the
// library's code.
HeadView expected_head(const RequestModel& m);
BodyView expected_body(const RequestModel& m);

HeadView view_of(std::span<const char> message, const RequestHead& head, std::size_t size);

// RapidCheck printers (found by argument-dependent lookup).
void showValue(const RequestModel& m, std::ostream& os);
void showValue(const HeadView& v, std::ostream& os);
void showValue(const BodyView& v, std::ostream& os);

// ---------------------------------------------------------------------------------------
// Generators. Each is built from rc::gen combinators, so counterexamples shrink.

namespace gen {

// RFC 9110 §5.6.2 token, 1..max_length bytes.
rc::Gen<std::string> token(std::size_t max_length = 12);
// `text` with each ASCII letter's case chosen at random (shrinks towards lower case).
rc::Gen<std::string> random_case(std::string text);
// RFC 9110 §5.6.3 OWS, mostly empty or one SP.
rc::Gen<std::string> ows();
// RFC 9110 §5.5 field-value: field-vchar (VCHAR, obs-text) with SP and HTAB inside.
rc::Gen<std::string> field_value(std::size_t max_length = 24);
// A field line whose name is not one the parser gives meaning to (RFC 9112 §6, §9).
rc::Gen<FieldLine> plain_field_line();

// RFC 3986 §3.2.2 host: reg-name, IPv4address or IP-literal (IPv6address, IPvFuture).
rc::Gen<std::string> reg_name();
rc::Gen<std::string> ipv4_address();
rc::Gen<std::string> ipv6_address();
rc::Gen<std::string> host();
// RFC 9110 §7.2 Host = uri-host [ ":" port ]
rc::Gen<std::string> host_value();
// RFC 3986 §3.3 segment and path, §3.4 query (pct-encoding and dot segments included).
rc::Gen<std::string> segment();
rc::Gen<std::string> absolute_path();
rc::Gen<std::string> query();

// RFC 9112 §3.2: a method and a target of one form, consistent with each other (CONNECT
// with authority-form, OPTIONS with asterisk-form).
struct RequestLine {
  std::string method;
  std::string target;
  TargetForm form = TargetForm::origin;
};
rc::Gen<RequestLine> request_line();
rc::Gen<RequestLine> request_line(TargetForm form);

// RFC 9112 §7.1.1 chunk-ext, possibly empty.
rc::Gen<std::string> chunk_ext();
// Body bytes: any octet, with CR, LF and runs that look like framing mixed in.
rc::Gen<std::string> content(std::size_t max_length = 64);
// A chunked encoding of `content` cut into chunks of random sizes.
rc::Gen<ChunkedBody> chunked_body();

// A whole request: any method and target form, version 1.0 or 1.1 (now and then 1.2-1.9),
// fields in random order and case, no body, Content-Length or chunked.
rc::Gen<RequestModel> request();
// The same with a given framing (chunked implies HTTP/1.1 or later).
rc::Gen<RequestModel> request(Framing framing);

}  // namespace gen

}  // namespace httpfsm::testing

namespace httpfsm {
// Printers for the library's enums, so RC_ASSERT shows names rather than placeholders.
void showValue(Method m, std::ostream& os);
void showValue(TargetForm f, std::ostream& os);
void showValue(Framing f, std::ostream& os);
void showValue(Progress p, std::ostream& os);
void showValue(Error e, std::ostream& os);
}  // namespace httpfsm

namespace rc {
template <>
struct Arbitrary<httpfsm::testing::RequestModel> {
  static Gen<httpfsm::testing::RequestModel> arbitrary() {
    return httpfsm::testing::gen::request();
  }
};
}  // namespace rc
