// roundtrip_fuzzer: every request head of the input stream that parses is written back by the
// library's serializer (write_request_head, canonical form) and must parse again, whole, to
// the same structure: method, target and their forms, version, every field name and value,
// the known-field index, framing, Content-Length, persistence and 100-continue. Writing the
// canonical form again must reproduce it byte for byte, and a buffer one byte short must be
// refused without a write past its end.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "httpfsm/body_decoder.hpp"
#include "httpfsm/head_parser.hpp"
#include "httpfsm/request_writer.hpp"
#include "request_stream.hpp"

namespace httpfsm::fuzz {
namespace {

// The structure the writer promises to keep; spans move, so they are left out.
HeadRecord structure(std::span<const char> message, const RequestHead& head) {
  HeadRecord r = record_head(message, head);
  r.method_span = r.target_span = Span{};
  for (FieldRecord& f : r.fields) f.name_span = f.value_span = Span{};
  return r;
}

// Writes `head` into a heap buffer of exactly `size` bytes; the bytes written, or nullopt.
std::string write(std::span<const char> message, const RequestHead& head, std::size_t size,
                  std::size_t* written) {
  std::unique_ptr<char[]> out(new char[size == 0 ? 1 : size]);
  *written = write_request_head(message, head, std::span<char>(out.get(), size));
  return std::string(out.get(), *written);
}

void roundtrip(std::span<const char> message, const HeadParser& parser) {
  const RequestHead& head = parser.head();
  const auto ctx = [&] {
    return std::string("message: \"" + escape({message.data(), parser.consumed()}) + "\"");
  };
  const std::size_t size = request_head_size(head);
  std::size_t written = 0;
  const std::string canonical = write(message, head, size, &written);
  HTTPFSM_FUZZ_CHECK(written == size, ctx());
  std::size_t short_written = 1;
  write(message, head, size - 1, &short_written);
  HTTPFSM_FUZZ_CHECK(short_written == 0, ctx());

  HeadParser again(parser.limits());
  const std::span<const char> bytes(canonical.data(), canonical.size());
  const Progress p = again.parse(bytes);
  const auto ctx2 = [&] {
    return std::string(ctx() + "\ncanonical: \"" + escape(canonical) + "\"");
  };
  HTTPFSM_FUZZ_CHECK(p == Progress::complete,
                     ctx2() + "\nreparse: " +
                         (p == Progress::failed ? std::string(error_name(again.error())) + " @" +
                                                      std::to_string(again.error_offset())
                                                : std::string("need_more")));
  HTTPFSM_FUZZ_CHECK(again.consumed() == canonical.size(), ctx2());
  const HeadRecord before = structure(message, head);
  const HeadRecord after = structure(bytes, again.head());
  HTTPFSM_FUZZ_CHECK(after == before,
                     ctx2() + "\nbefore: " + describe(before) + "\nafter:  " + describe(after));

  // The canonical form is a fixed point.
  std::size_t rewritten_size = 0;
  const std::string rewritten =
      write(bytes, again.head(), request_head_size(again.head()), &rewritten_size);
  HTTPFSM_FUZZ_CHECK(rewritten == canonical, ctx2() + "\nrewritten: \"" + escape(rewritten) + "\"");
}

}  // namespace
}  // namespace httpfsm::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace httpfsm;
  std::span<const char> rest(reinterpret_cast<const char*>(data), size);
  HeadParser parser;
  BodyDecoder body;
  // Each head in turn; bodies are decoded only to find where the next message starts.
  while (!rest.empty()) {
    parser.reset();
    if (parser.parse(rest) != Progress::complete) break;
    fuzz::roundtrip(rest, parser);
    rest = rest.subspan(parser.consumed());
    body.start(parser.head());
    while (body.progress() == Progress::need_more) {
      const BodyStep step = body.decode(rest);
      rest = rest.subspan(step.consumed);
      if (step.consumed == 0) break;
    }
    if (body.progress() != Progress::complete) break;
  }
  return 0;
}
