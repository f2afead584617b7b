// The untimed cross-check behind every measurement: each parser parses each corpus whole,
// and must report the same requests (method, target, version, every field name and value,
// the decoded body) as httpfsm, the counts the corpus table states, the same checksum through
// the timed sink, and no heap allocation per run once warmed up.
#pragma once

#include <cstdio>
#include <vector>

#include "corpus.hpp"
#include "parser_adapter.hpp"

namespace httpfsm::bench {

// Checks one parser on one corpus. Prints each problem to stderr; true if there is none.
bool verify_parser(const ParserInfo& parser, const Corpus& corpus);

// Checks every parser on every corpus and prints one line per pair to `out` (if not null).
// True if all pairs pass.
bool verify_all(const std::vector<Corpus>& corpora, std::FILE* out);

}  // namespace httpfsm::bench
