// message_reader_fuzzer: a stream of pipelined requests, or of responses to requests whose
// methods the input names, read by RequestReader/ResponseReader. Three runs must give the same
// events (adjacent data merged): the reader fed the whole stream, the reader fed it in pieces
// (split points from the input, the caller's buffer keeping unconsumed bytes), and a loop over
// the bare head parser and body decoder that parses the messages one by one. Every event is
// checked against the contract: consumed bytes inside the input, data slices of it, errors
// listed with offsets inside the stream, sticky terminal events.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "fuzz_check.hpp"
#include "fuzz_input.hpp"
#include "httpfsm/message_reader.hpp"
#include "request_stream.hpp"  // escape()

namespace httpfsm::fuzz {
namespace {

std::string fields(std::span<const char> m, std::span<const Field> fs) {
  std::string s;
  for (const Field& f : fs) {
    s += "; " + std::string(text(m, f.name)) + "=" + std::string(text(m, f.value));
  }
  return s;
}
std::string head_text(std::span<const char> m, const RequestHead& h) {
  return std::string(text(m, h.method)) + " " + std::string(text(m, h.target)) +
         fields(m, h.fields) + " " + std::string(framing_name(h.framing)) +
         std::to_string(h.content_length) + (h.keep_alive ? "k" : "c");
}
std::string head_text(std::span<const char> m, const ResponseHead& h) {
  return std::to_string(h.status) + fields(m, h.fields) + " " +
         std::string(framing_name(h.framing)) + std::to_string(h.content_length) +
         (h.keep_alive ? "k" : "c") + (h.interim ? "i" : "") + (h.leaves_http ? "s" : "");
}

struct Events {
  std::vector<std::string> list;
  void add(std::string e) {
    if (e.starts_with("data ") && !list.empty() && list.back().starts_with("data ")) {
      list.back() += e.substr(5);
    } else {
      list.push_back(std::move(e));
    }
  }
};

// The reader, fed in pieces ending at `cuts`, then finish().
template <class Reader>
Events run_reader(std::string_view stream, const std::vector<std::size_t>& cuts,
                  const std::vector<Method>& methods, const Limits& limits) {
  Reader reader(limits);
  for (const Method m : methods) reader.request_sent(m);
  Events ev;
  std::string pending;
  std::size_t fed = 0;
  std::vector<std::size_t> ends = cuts;
  ends.push_back(stream.size());
  const auto ctx = [&] { return escape(stream); };
  const auto drain = [&](bool at_close) {
    for (;;) {
      const std::string buffer = pending;  // a fresh copy: the buffer moves between calls
      const ReadStep s = at_close ? reader.finish(buffer) : reader.next(buffer);
      HTTPFSM_FUZZ_CHECK(s.consumed <= buffer.size(), ctx());
      switch (s.event) {
        case ReadEvent::need_more:
          HTTPFSM_FUZZ_CHECK(!at_close, ctx());
          pending.erase(0, s.consumed);
          return true;
        case ReadEvent::head:
          HTTPFSM_FUZZ_CHECK(s.consumed > 0, ctx());
          ev.add("head " + head_text(buffer, reader.head()));
          break;
        case ReadEvent::data:
          HTTPFSM_FUZZ_CHECK(s.data.data() >= buffer.data() &&
                                 s.data.data() + s.data.size() <= buffer.data() + buffer.size(),
                             ctx());
          ev.add("data " + std::string(s.data.data(), s.data.size()));
          break;
        case ReadEvent::end:
          ev.add("end" + fields(buffer, reader.trailers()));
          at_close = false;
          break;
        case ReadEvent::error:
          HTTPFSM_FUZZ_CHECK(reader.error() != Error::none, ctx());
          HTTPFSM_FUZZ_CHECK(reader.error_offset() <= stream.size(), ctx());
          HTTPFSM_FUZZ_CHECK(reader.next(buffer).event == ReadEvent::error, ctx());  // sticky
          ev.add("error " + std::string(error_name(reader.error())) + " @" +
                 std::to_string(reader.error_offset()));
          return false;
        case ReadEvent::switched:
          ev.add("switched @" + std::to_string(reader.offset()));
          return false;
        case ReadEvent::closed:
          ev.add("closed");
          return false;
      }
      pending.erase(0, s.consumed);
    }
  };
  for (const std::size_t end : ends) {
    pending.append(stream.substr(fed, end - fed));
    fed = end;
    if (!drain(false)) return ev;
  }
  drain(true);
  return ev;
}

// The same stream, message by message, through the bare parsers: what the reader must equal.
template <class Parser>
Events run_bare(std::string_view stream, std::vector<Method> methods, const Limits& limits) {
  constexpr bool kResponse = std::is_same_v<Parser, ResponseHeadParser>;
  Parser parser(limits);
  BodyDecoder body(limits);
  Events ev;
  std::size_t at = 0;
  std::size_t next_method = 0;
  for (;;) {
    const std::string_view rest = stream.substr(at);
    bool between = rest.empty();
    if constexpr (!kResponse) {
      // RFC 9112 §2.2: empty lines before a request-line; only they may end the stream.
      between = rest.size() % 2 == 0;
      for (std::size_t i = 0; between && i < rest.size(); i += 2) {
        between = rest[i] == '\r' && rest[i + 1] == '\n';
      }
      parser.reset();
    } else {
      if (!between && next_method == methods.size()) {
        ev.add("error unsolicited_response @" + std::to_string(at));
        return ev;
      }
      if (!between) parser.reset(methods[next_method]);
    }
    if (between) {
      ev.add("closed");
      return ev;
    }
    const Progress p = parser.parse(rest);
    if (p == Progress::failed) {
      ev.add("error " + std::string(error_name(parser.error())) + " @" +
             std::to_string(at + parser.error_offset()));
      return ev;
    }
    if (p == Progress::need_more) {
      ev.add("error truncated @" + std::to_string(stream.size()));
      return ev;
    }
    ev.add("head " + head_text(rest, parser.head()));
    at += parser.consumed();
    bool leaves = false;
    if constexpr (kResponse) {
      leaves = parser.head().leaves_http;
      if (parser.head().interim) continue;
      ++next_method;
    }
    body.start(parser.head());
    const std::size_t body_start = at;
    for (;;) {
      const BodyStep s = body.decode(stream.substr(at));
      if (!s.data.empty()) ev.add("data " + std::string(s.data.data(), s.data.size()));
      at += s.consumed;
      if (s.progress != Progress::need_more || s.consumed == 0) break;
    }
    if (body.progress() == Progress::need_more) body.finish();
    if (body.progress() == Progress::failed) {
      ev.add("error " + std::string(error_name(body.error())) + " @" +
             std::to_string(body_start + body.error_offset()));
      return ev;
    }
    ev.add("end");  // trailers index the completing call's input; compared without them
    if (leaves) {
      ev.add("switched @" + std::to_string(at));
      return ev;
    }
    if (!parser.head().keep_alive) {
      ev.add("closed");
      return ev;
    }
  }
}

}  // namespace
}  // namespace httpfsm::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace httpfsm;
  using namespace httpfsm::fuzz;
  FuzzInput in(data, size);
  const std::uint8_t mode = in.byte();
  const bool response = (mode & 1) != 0;
  Limits limits;
  if ((mode & 2) != 0) {
    limits.max_head = 128;
    limits.max_field_line = 48;
    limits.max_fields = 4;
    limits.max_body = 64;
    limits.max_trailer = 32;
  }
  std::vector<Method> methods;
  if (response) {
    const std::size_t n = in.byte() % 8;
    for (std::size_t i = 0; i < n; ++i)
      methods.push_back(static_cast<Method>(in.byte() % kMethodCount));
  }
  const SplitPoints split = in.split_points(12);
  const std::string_view stream = in.rest();
  const std::vector<std::size_t> cuts = split.at(stream.size());
  const auto show = [&](const Events& e) {
    std::string s;
    for (const std::string& x : e.list) s += "  " + escape(x) + "\n";
    return s;
  };
  const auto strip_trailers = [](Events e) {
    for (std::string& x : e.list) {
      if (x.starts_with("end")) x = "end";
    }
    return e;
  };
  Events whole, pieces, bare;
  if (response) {
    whole = run_reader<ResponseReader>(stream, {}, methods, limits);
    pieces = run_reader<ResponseReader>(stream, cuts, methods, limits);
    bare = run_bare<ResponseHeadParser>(stream, methods, limits);
  } else {
    whole = run_reader<RequestReader>(stream, {}, methods, limits);
    pieces = run_reader<RequestReader>(stream, cuts, methods, limits);
    bare = run_bare<HeadParser>(stream, methods, limits);
  }
  HTTPFSM_FUZZ_CHECK(whole.list == pieces.list,
                     escape(stream) + "\nwhole:\n" + show(whole) + "pieces:\n" + show(pieces));
  HTTPFSM_FUZZ_CHECK(strip_trailers(whole).list == bare.list,
                     escape(stream) + "\nreader:\n" + show(whole) + "bare:\n" + show(bare));
  return 0;
}
