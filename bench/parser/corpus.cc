#include "corpus.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

namespace httpfsm::bench {
namespace {

// The expected counts are facts about the committed files; the cross-check in verify.cc
// compares every parser's full output (not just these counts) with httpfsm's.
const Corpus kCorpora[] = {
    {"a_browser", "browser GET, 14 fields, ~730 bytes", 1, 14, 0, false, {}},
    {"b_minimal", "GET / with Host only", 1, 1, 0, false, {}},
    {"c_heavy", "API GET, 18 fields, 2.5 KB Cookie, long User-Agent, ~4 KB", 1, 18, 0, false, {}},
    {"d_pipelined", "16 x a_browser in one buffer", 16, 16 * 14, 0, false, {}},
    {"e_post", "POST, Content-Length: 64", 1, 7, 64, false, {}},
    {"f_chunked", "POST, Transfer-Encoding: chunked, 16 chunks", 1, 5, 1336, false, {}},
    {"r_small", "200 to an API GET, 4 fields, 37-byte JSON body", 1, 4, 37, true, {}},
    {"r_page", "200 HTML page, 13 fields, Content-Length: 1413", 1, 13, 1413, true, {}},
    {"r_chunked", "200, Transfer-Encoding: chunked, 12 chunks", 1, 5, 763, true, {}},
    {"r_304", "304 Not Modified, 4 fields, no body", 1, 4, 0, true, {}},
};

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "httpfsm-bench-parser: %s\n", message.c_str());
  std::exit(1);
}

}  // namespace

std::filesystem::path default_corpus_dir() { return HTTPFSM_BENCH_CORPUS_DIR; }

std::vector<Corpus> load_corpora(const std::filesystem::path& dir) {
  std::vector<Corpus> corpora;
  for (const Corpus& c : kCorpora) {
    const std::filesystem::path file = dir / (std::string(c.name) + ".http");
    std::ifstream in(file, std::ios::binary);
    if (!in) die("cannot read corpus " + file.string() + " (pass --corpus-dir=DIR)");
    Corpus loaded = c;
    loaded.bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (loaded.bytes.empty()) die("empty corpus " + file.string());
    corpora.push_back(std::move(loaded));
  }
  std::string sixteen;
  for (int i = 0; i < 16; ++i) sixteen += corpora[0].bytes;
  if (corpora[3].bytes != sixteen) die("d_pipelined.http is not 16 copies of a_browser.http");
  return corpora;
}

}  // namespace httpfsm::bench
