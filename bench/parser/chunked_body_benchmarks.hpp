// The chunked decoders alone (issue 18): httpfsm's BodyDecoder against picohttpparser's
// phr_decode_chunked on the body of each chunked corpus (the bytes after its head), named
// "httpfsm_body/<corpus>" and "pico_body/<corpus>". pico decodes in place, so each run first
// copies the body into a scratch buffer, as its full adapter does (pico_adapter.cc).
#pragma once

#include <vector>

#include "corpus.hpp"

namespace httpfsm::bench {

// Checks that both decoders give the same content for each chunked corpus (exits if not),
// then registers the benchmarks.
void register_chunked_body_benchmarks(const std::vector<Corpus>& corpora);

}  // namespace httpfsm::bench
