// One interface over the four parsers compared (httpfsm, llhttp, http_parser and
// picohttpparser). run() parses every request in a buffer that holds whole requests (one, or
// several pipelined), bodies included, and hands each to the sink. Each adapter is built
// once, outside the timed loop, and reuses its parser state between runs the way a server
// reuses it between requests on a connection; a run allocates nothing.
//
// The virtual call is made once per buffer (not per request or field); inside, each adapter
// calls the sink inline.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string_view>

#include "corpus.hpp"
#include "request_sink.hpp"

namespace httpfsm::bench {

struct RunResult {
  std::size_t requests = 0;  // requests parsed completely, bodies included
  std::size_t consumed = 0;  // bytes of the buffer consumed by those requests
  bool ok = false;           // the whole buffer parsed without error
  std::string_view error;    // why not, in the parser's own words (static storage)
};

class ParserAdapter {
 public:
  virtual ~ParserAdapter() = default;
  virtual RunResult run(std::span<const char> buffer, ChecksumSink& sink) noexcept = 0;
  virtual RunResult run(std::span<const char> buffer, RecordingSink& sink) = 0;
};

// For an adapter with one `run_with(buffer, sink)` template: the two virtual run() overloads
// call it, so each instantiation inlines its sink's calls (CRTP). The adapter befriends this
// class and keeps run_with private.
template <class Adapter>
class SinkDispatch : public ParserAdapter {
 public:
  RunResult run(std::span<const char> buffer, ChecksumSink& sink) noexcept final {
    return static_cast<Adapter&>(*this).run_with(buffer, sink);
  }
  RunResult run(std::span<const char> buffer, RecordingSink& sink) final {
    return static_cast<Adapter&>(*this).run_with(buffer, sink);
  }
};

// Field lines per request that the adapters of callback parsers record (httpfsm's default
// Limits::max_fields is the same).
inline constexpr std::size_t kMaxFields = 100;

struct ParserInfo {
  std::string_view name;  // as in benchmark names: "httpfsm", "llhttp", "http_parser", "pico"
  std::unique_ptr<ParserAdapter> (*make)();
  // The same parser reading responses to GET requests, or nullptr (issue 14's corpora).
  std::unique_ptr<ParserAdapter> (*make_response)();
};

std::unique_ptr<ParserAdapter> make_httpfsm_adapter();
std::unique_ptr<ParserAdapter> make_llhttp_adapter();
std::unique_ptr<ParserAdapter> make_http_parser_adapter();
std::unique_ptr<ParserAdapter> make_pico_adapter();
std::unique_ptr<ParserAdapter> make_httpfsm_reader_adapter();
std::unique_ptr<ParserAdapter> make_httpfsm_response_adapter();
std::unique_ptr<ParserAdapter> make_llhttp_response_adapter();
std::unique_ptr<ParserAdapter> make_pico_response_adapter();
std::unique_ptr<ParserAdapter> make_httpfsm_response_reader_adapter();

// httpfsm first: ratios and cross-checks are taken against it.
inline constexpr ParserInfo kParsers[] = {
    {"httpfsm", make_httpfsm_adapter, make_httpfsm_response_adapter},
    {"llhttp", make_llhttp_adapter, make_llhttp_response_adapter},
    {"http_parser", make_http_parser_adapter, nullptr},
    {"pico", make_pico_adapter, make_pico_response_adapter},
    // httpfsm through RequestReader (ResponseReader): its cost over the hand-written loop above.
    {"httpfsm_reader", make_httpfsm_reader_adapter, make_httpfsm_response_reader_adapter},
};

// The adapter of `parser` for the kind of messages in a corpus, or nullptr if it has none.
inline std::unique_ptr<ParserAdapter> make_adapter(const ParserInfo& parser, const Corpus& corpus) {
  if (!corpus.response) return parser.make();
  return parser.make_response == nullptr ? nullptr : parser.make_response();
}

}  // namespace httpfsm::bench
