// The corpora of the parser benchmark (bench/corpus/*.http, raw bytes with CRLF line ends):
// six of requests, then four of responses (issue 14), and what each must parse to, so a parser
// that stops early or drops a field is caught before anything is timed.
#pragma once

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace httpfsm::bench {

struct Corpus {
  std::string_view name;   // as in benchmark names, and the file name without ".http"
  std::string_view what;   // one line for reports
  std::size_t requests;    // messages (requests, or responses) in the file
  std::size_t fields;      // field lines in all of them
  std::size_t body_bytes;  // decoded content bytes in all of them
  bool response;           // responses, each answering a GET
  std::string bytes;       // the file, loaded by load_corpora()
  std::span<const char> span() const noexcept { return {bytes.data(), bytes.size()}; }
};

// Loads every corpus from `dir`. Exits with a message if a file is missing, or if
// d_pipelined is not exactly 16 copies of a_browser.
std::vector<Corpus> load_corpora(const std::filesystem::path& dir);

// The corpus directory compiled in (the source tree's bench/corpus).
std::filesystem::path default_corpus_dir();

}  // namespace httpfsm::bench
