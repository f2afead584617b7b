// The body loop of the two hand-written httpfsm adapters (requests and responses): BodyDecoder
// from `pos` until the body is complete, each slice of content to the sink.
#pragma once

#include <httpfsm/body_decoder.hpp>
#include <span>

#include "parser_adapter.hpp"

namespace httpfsm::bench {

// Advances `pos` past the body; false, with r.error set, if it does not complete. The decoder
// must have been started.
template <class Sink>
bool decode_body(BodyDecoder& decoder, std::span<const char> buffer, std::size_t& pos, Sink& sink,
                 RunResult& r) {
  for (;;) {
    const BodyStep step = decoder.decode(buffer.subspan(pos));
    if (!step.data.empty()) sink.body({step.data.data(), step.data.size()});
    pos += step.consumed;
    if (step.progress != Progress::need_more || step.consumed == 0) break;
  }
  if (decoder.progress() == Progress::complete) return true;
  r.error = decoder.progress() == Progress::failed ? error_name(decoder.error()) : "partial body";
  return false;
}

}  // namespace httpfsm::bench
