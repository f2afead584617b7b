#include "verify.hpp"

#include <string>

#include "testing/allocation_counter.hpp"

namespace httpfsm::bench {

using testing::allocation_count;

namespace {

struct Report {
  const ParserInfo& parser;
  const Corpus& corpus;
  bool ok = true;
  void problem(const std::string& what) {
    std::fprintf(stderr, "FAIL %.*s/%.*s: %s\n", static_cast<int>(parser.name.size()),
                 parser.name.data(), static_cast<int>(corpus.name.size()), corpus.name.data(),
                 what.c_str());
    ok = false;
  }
};

// Appends rather than `"\"" + std::string(s)`, which trips g++ 12's -Wrestrict at -O3.
std::string in_quotes(std::string_view s) {
  std::string q(1, '"');
  q.append(s);
  q.push_back('"');
  return q;
}

// The first difference between two parses, in words, or "" if they are equal.
std::string first_difference(const std::vector<RecordedRequest>& got,
                             const std::vector<RecordedRequest>& want) {
  if (got.size() != want.size()) {
    return std::to_string(got.size()) + " requests, httpfsm has " + std::to_string(want.size());
  }
  for (std::size_t i = 0; i < got.size(); ++i) {
    const RecordedRequest& g = got[i];
    const RecordedRequest& w = want[i];
    const std::string at = "request " + std::to_string(i) + ": ";
    if (g.method != w.method)
      return at + "method " + in_quotes(g.method) + " vs " + in_quotes(w.method);
    if (g.target != w.target)
      return at + "target " + in_quotes(g.target) + " vs " + in_quotes(w.target);
    if (g.status != w.status) return at + "status " + std::to_string(g.status);
    if (g.reason != w.reason)
      return at + "reason " + in_quotes(g.reason) + " vs " + in_quotes(w.reason);
    if (g.minor != w.minor) return at + "version 1." + std::to_string(g.minor);
    if (g.fields.size() != w.fields.size()) {
      return at + std::to_string(g.fields.size()) + " fields vs " + std::to_string(w.fields.size());
    }
    for (std::size_t k = 0; k < g.fields.size(); ++k) {
      if (g.fields[k] != w.fields[k]) {
        return at + "field " + std::to_string(k) + " " + in_quotes(g.fields[k].first) + ": " +
               in_quotes(g.fields[k].second) + " vs " + in_quotes(w.fields[k].first) + ": " +
               in_quotes(w.fields[k].second);
      }
    }
    if (g.body != w.body) return at + "body of " + std::to_string(g.body.size()) + " bytes differs";
    if (g.complete != w.complete) return at + "completion differs";
  }
  return {};
}

struct Outcome {
  bool ok = false;
  std::vector<RecordedRequest> requests;
  std::uint64_t checksum = 0;
  std::uint64_t allocations = 0;
};

constexpr int kAllocationRuns = 8;

Outcome check(const ParserInfo& parser, const Corpus& corpus) {
  Report report{parser, corpus};
  Outcome out;
  const std::unique_ptr<ParserAdapter> adapter = make_adapter(parser, corpus);
  RecordingSink recording;
  const RunResult r = adapter->run(corpus.span(), recording);
  if (!r.ok)
    report.problem("parse failed after " + std::to_string(r.requests) +
                   " requests: " + std::string(r.error));
  if (r.consumed != corpus.bytes.size()) {
    report.problem("consumed " + std::to_string(r.consumed) + " of " +
                   std::to_string(corpus.bytes.size()) + " bytes");
  }
  if (r.requests != corpus.requests || recording.requests().size() != corpus.requests) {
    report.problem(std::to_string(r.requests) + " requests, expected " +
                   std::to_string(corpus.requests));
  }
  std::size_t fields = 0, body_bytes = 0;
  for (const RecordedRequest& q : recording.requests()) {
    fields += q.fields.size();
    body_bytes += q.body.size();
    if (!q.complete) report.problem("a request was never completed");
  }
  if (fields != corpus.fields) {
    report.problem(std::to_string(fields) + " fields, expected " + std::to_string(corpus.fields));
  }
  if (body_bytes != corpus.body_bytes) {
    report.problem(std::to_string(body_bytes) + " body bytes, expected " +
                   std::to_string(corpus.body_bytes));
  }
  // The timed path: same outcome, and no allocation once warmed up.
  ChecksumSink warm;
  const RunResult first = adapter->run(corpus.span(), warm);
  if (!first.ok || first.requests != r.requests) report.problem("the timed path disagrees");
  ChecksumSink sink;
  const std::uint64_t before = allocation_count();
  for (int i = 0; i < kAllocationRuns; ++i) {
    ChecksumSink each;
    if (adapter->run(corpus.span(), each).requests != r.requests) {
      report.problem("a repeated run disagrees");
    }
    sink = each;
  }
  out.allocations = allocation_count() - before;
  if (out.allocations != 0) {
    report.problem(std::to_string(out.allocations) + " allocations in " +
                   std::to_string(kAllocationRuns) + " runs");
  }
  if (sink.value() != warm.value()) report.problem("checksums of repeated runs differ");
  out.checksum = sink.value();
  out.requests = recording.requests();
  out.ok = report.ok;
  return out;
}

bool agree(const ParserInfo& parser, const Corpus& corpus, const Outcome& got,
           const Outcome& reference) {
  Report report{parser, corpus};
  const std::string difference = first_difference(got.requests, reference.requests);
  if (!difference.empty()) report.problem("differs from httpfsm: " + difference);
  if (got.checksum != reference.checksum)
    report.problem("timed-sink checksum differs from httpfsm");
  return report.ok;
}

}  // namespace

bool verify_parser(const ParserInfo& parser, const Corpus& corpus) {
  if (corpus.response && parser.make_response == nullptr) {
    std::fprintf(stderr, "%.*s has no response adapter\n", static_cast<int>(parser.name.size()),
                 parser.name.data());
    return false;
  }
  const Outcome reference = check(kParsers[0], corpus);
  if (&parser == &kParsers[0]) return reference.ok;
  const Outcome got = check(parser, corpus);
  return reference.ok && got.ok && agree(parser, corpus, got, reference);
}

bool verify_all(const std::vector<Corpus>& corpora, std::FILE* out) {
  bool all = true;
  for (const Corpus& corpus : corpora) {
    const Outcome reference = check(kParsers[0], corpus);
    for (const ParserInfo& parser : kParsers) {
      if (corpus.response && parser.make_response == nullptr) continue;
      const Outcome got = &parser == &kParsers[0] ? reference : check(parser, corpus);
      const bool ok = got.ok && reference.ok && agree(parser, corpus, got, reference);
      all = all && ok;
      if (out == nullptr) continue;
      std::size_t fields = 0, body = 0;
      for (const RecordedRequest& q : got.requests) {
        fields += q.fields.size();
        body += q.body.size();
      }
      std::fprintf(out,
                   "%-4s %-12.*s %-12.*s requests %2zu  fields %3zu  body bytes %4zu  "
                   "allocations/run %llu\n",
                   ok ? "ok" : "FAIL", static_cast<int>(parser.name.size()), parser.name.data(),
                   static_cast<int>(corpus.name.size()), corpus.name.data(), got.requests.size(),
                   fields, body,
                   static_cast<unsigned long long>(got.allocations / kAllocationRuns));
    }
  }
  return all;
}

}  // namespace httpfsm::bench
