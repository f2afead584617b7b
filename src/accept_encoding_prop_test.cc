// Properties of Accept-Encoding negotiation (src/include/httpfsm/accept_encoding.hpp): on
// any generated header, valid or not, negotiate_encoding agrees with a small reference
// model of RFC 9110 §12.5.3 written from the ABNF, and reading a parsed head agrees with
// reading the values.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "httpfsm/accept_encoding.hpp"
#include "httpfsm/head_parser.hpp"
#include "test_support.hpp"
#include "testing/request_model.hpp"

namespace httpfsm {
namespace {

namespace model = testing::gen;

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// The reference. RFC 9110 §12.5.3:
//   Accept-Encoding = #( codings [ weight ] )
//   codings = content-coding / "identity" / "*"
//   weight = OWS ";" OWS "q=" qvalue          (§12.4.2; "q=" is case-insensitive)
//   qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
// Elements that do not match, and codings the server does not know, are ignored (as
// accept_encoding.hpp documents); the first element for a coding counts.
struct Weights {
  std::optional<int> q[6];  // Coding order, then "*"
};

// RFC 9110 §12.4.2 qvalue in thousandths, or nullopt if `v` is not one.
std::optional<int> qvalue(std::string_view v) {
  if (v.empty() || (v[0] != '0' && v[0] != '1')) return std::nullopt;
  if (v.size() == 1) return (v[0] - '0') * 1000;
  if (v[1] != '.' || v.size() > 5) return std::nullopt;
  std::string digits(v.substr(2));
  for (char c : digits) {
    if (c < '0' || c > '9' || (v[0] == '1' && c != '0')) return std::nullopt;
  }
  digits.resize(3, '0');
  return (v[0] - '0') * 1000 + std::stoi(digits);
}

Weights reference_weights(const std::vector<std::string>& values) {
  Weights w;
  for (const std::string& value : values) {
    std::size_t start = 0;
    for (;;) {
      const std::size_t comma = value.find(',', start);
      const std::string e = trim(value.substr(start, comma - start));
      // codings [ OWS ";" OWS "q=" qvalue ]
      const std::size_t semi = e.find(';');
      const std::string name = lower(trim(e.substr(0, semi)));
      std::optional<int> q = 1000;
      if (semi != std::string::npos) {
        const std::string weight = trim(e.substr(semi + 1));
        q = weight.size() >= 2 && (weight[0] == 'q' || weight[0] == 'Q') && weight[1] == '='
                ? qvalue(std::string_view(weight).substr(2))
                : std::nullopt;
      }
      int index = -1;
      const char* names[] = {"identity", "gzip", "deflate", "br", "zstd", "*"};
      for (int i = 0; i < 6; ++i) {
        if (name == names[i]) index = i;
      }
      if (name == "x-gzip") index = 1;  // §8.4.1.3
      if (index >= 0 && q && !w.q[index]) w.q[index] = *q;
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return w;
}

std::optional<Coding> reference_negotiate(const std::vector<std::string>& values,
                                          const std::vector<Coding>& available) {
  if (values.empty()) return Coding::identity;  // absent: no compression asked for
  const Weights w = reference_weights(values);
  const std::optional<int> star = w.q[5];
  // The best coding on offer: highest q above 0, the server's order breaking ties.
  std::optional<Coding> best;
  int best_q = 0;
  for (Coding c : available) {
    if (c == Coding::identity) continue;
    const int q = w.q[static_cast<int>(c)].value_or(star.value_or(0));
    if (q > best_q) {
      best = c;
      best_q = q;
    }
  }
  const std::optional<int> identity = w.q[0] ? w.q[0] : star;
  if (!identity) return best ? best : Coding::identity;  // identity only as the fallback
  if (best && best_q >= *identity) return best;          // compression wins a tie
  if (*identity > 0) return Coding::identity;
  return std::nullopt;  // "identity;q=0", or "*;q=0" without an identity entry
}

rc::Gen<std::string> element() {
  const auto name =
      rc::gen::mapcat(rc::gen::element<std::string>("gzip", "x-gzip", "deflate", "br", "zstd",
                                                    "identity", "*", "compress", "gzip2", "exi"),
                      [](const std::string& n) { return model::random_case(n); });
  const auto qvalue = rc::gen::element<std::string>("0", "1", "0.5", "0.001", "0.999", "1.000",
                                                    "0.", "1.", "0.000", "0.12",
                                                    // malformed
                                                    "2", "1.5", "0.1234", "1.001", ".5", "", "a");
  const auto weight = rc::gen::weightedOneOf<std::string>(
      {{4, rc::gen::just(std::string())},
       {4, rc::gen::apply([](std::string a, std::string b, std::string q,
                             std::string v) { return a + ";" + b + q + "=" + v; },
                          model::ows(), model::ows(), rc::gen::element<std::string>("q", "Q"),
                          qvalue)},
       {1, rc::gen::element<std::string>(";level=9", ";q=0.5;x=1", "; q = 0.5", ";", ";q")}});
  return rc::gen::weightedOneOf<std::string>(
      {{8, rc::gen::apply([](std::string n, std::string w) { return n + w; }, name, weight)},
       {1, rc::gen::element<std::string>("", " ", "\t")}});
}

// One Accept-Encoding field value: elements joined by commas with OWS around them.
rc::Gen<std::string> accept_encoding_value() {
  return rc::gen::map(rc::gen::container<std::vector<std::pair<std::string, std::string>>>(
                          rc::gen::pair(element(), model::ows())),
                      [](const std::vector<std::pair<std::string, std::string>>& v) {
                        std::string s;
                        for (std::size_t i = 0; i < v.size(); ++i)
                          s += (i ? "," + v[i].second : "") + v[i].first;
                        return trim(s);  // a field value has no OWS around it
                      });
}

rc::Gen<std::vector<Coding>> available() {
  return rc::gen::map(rc::gen::container<std::vector<int>>(rc::gen::inRange(0, 5)),
                      [](std::vector<int> v) {
                        std::vector<Coding> out;
                        for (int i : v) {
                          const auto c = static_cast<Coding>(i);
                          if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
                        }
                        return out;
                      });
}

std::string name_of(const std::optional<Coding>& c) {
  return c ? std::string(coding_name(*c)) : std::string("none");
}

RC_GTEST_PROP(AcceptEncodingProperty, negotiation_agrees_with_a_reference_model, ()) {
  const auto values =
      *rc::gen::resize(20, rc::gen::container<std::vector<std::string>>(accept_encoding_value()));
  const std::vector<Coding> offer = *available();
  const std::vector<std::string_view> views(values.begin(), values.end());
  const std::optional<Coding> got = negotiate_encoding(views, offer);
  RC_TAG(name_of(got));
  RC_ASSERT(name_of(got) == name_of(reference_negotiate(values, offer)));
}

RC_GTEST_PROP(AcceptEncodingProperty, a_parsed_head_negotiates_as_its_values, ()) {
  // Accept-Encoding lines, in any name case, among a request's other fields.
  testing::RequestModel m = *model::request();
  const auto lines =
      *rc::gen::resize(20, rc::gen::container<std::vector<std::string>>(accept_encoding_value()));
  std::vector<std::string> values;
  for (const std::string& v : lines) {
    const auto at = *rc::gen::inRange<std::size_t>(0, m.fields.size() + 1);
    m.fields.insert(m.fields.begin() + static_cast<std::ptrdiff_t>(at),
                    {*model::random_case("Accept-Encoding"), *model::ows(), v, *model::ows()});
  }
  // Other Accept-Encoding lines the generator put in count too, in field order.
  for (const auto& f : m.fields) {
    if (iequals(f.name, "accept-encoding")) values.push_back(f.value);
  }
  const std::string wire = testing::serialize(m).bytes;
  HeadParser parser;
  RC_ASSERT(parser.parse(wire) == Progress::complete);
  const std::vector<Coding> offer = *available();
  const std::vector<std::string_view> views(values.begin(), values.end());
  RC_ASSERT(name_of(negotiate_encoding(wire, parser.head(), offer)) ==
            name_of(negotiate_encoding(views, offer)));
}

}  // namespace
}  // namespace httpfsm
