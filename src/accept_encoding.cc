// Accept-Encoding negotiation (RFC 9110 §12.5.3). See accept_encoding.hpp for the rules.
#include "httpfsm/accept_encoding.hpp"

#include <array>

#include "char_class.hpp"

namespace httpfsm {

namespace {

constexpr std::size_t kCodings = 5;  // identity, gzip, deflate, br, zstd
constexpr int kUnset = -1;

bool is_ows(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

// RFC 9110 §12.4.2 qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), in
// thousandths; -1 when malformed.
int parse_qvalue(std::string_view v) {
  if (v.empty() || (v[0] != '0' && v[0] != '1')) return -1;
  int q = (v[0] - '0') * 1000;
  if (v.size() == 1) return q;
  if (v[1] != '.' || v.size() > 5) return -1;
  int scale = 100;
  for (std::size_t i = 2; i < v.size(); ++i, scale /= 10) {
    if (!detail::is_digit(static_cast<unsigned char>(v[i]))) return -1;
    q += (v[i] - '0') * scale;
  }
  return q <= 1000 ? q : -1;
}

// Which coding a name stands for: 0..4 as Coding, 5 for "*", -1 for anything else.
int coding_index(std::string_view name) {
  constexpr std::array<std::string_view, 7> kNames = {"identity", "gzip",   "deflate", "br",
                                                      "zstd",     "x-gzip", "*"};
  constexpr std::array<int, 7> kIndex = {0, 1, 2, 3, 4, 1, 5};
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (iequals(name, kNames[i])) return kIndex[i];
  }
  return -1;
}

// The q of each coding and of "*" (index 5) as the header states them; kUnset if absent.
struct Weights {
  std::array<int, kCodings + 1> q;
  Weights() { q.fill(kUnset); }

  // One list element: codings [ weight ], weight = OWS ";" OWS "q=" qvalue. Anything else
  // (unknown coding, other parameters, a bad qvalue) is ignored, as §12.5.3 allows.
  void add(std::string_view element) {
    const std::size_t semi = element.find(';');
    const std::string_view name = trim(element.substr(0, semi));
    const int index = coding_index(name);
    if (index < 0) return;
    int weight = 1000;
    if (semi != std::string_view::npos) {
      const std::string_view param = trim(element.substr(semi + 1));
      if (param.size() < 2 || (param[0] != 'q' && param[0] != 'Q') || param[1] != '=') return;
      weight = parse_qvalue(param.substr(2));
      if (weight < 0) return;
    }
    // The first entry for a coding counts; a later repetition does not override it.
    if (q[static_cast<std::size_t>(index)] == kUnset) q[static_cast<std::size_t>(index)] = weight;
  }

  void add_value(std::string_view value) {
    std::size_t start = 0;
    for (;;) {
      const std::size_t comma = value.find(',', start);
      add(value.substr(start, comma - start));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
  }
};

std::optional<Coding> choose(const Weights& w, bool present, std::span<const Coding> available) {
  // Absent: any coding is acceptable, but nothing asked for compression; send identity.
  if (!present) return Coding::identity;
  const int star = w.q[kCodings];
  int best_q = 0;
  std::optional<Coding> best;
  for (Coding c : available) {
    if (c == Coding::identity) continue;
    const int own = w.q[static_cast<std::size_t>(c)];
    const int q = own != kUnset ? own : (star != kUnset ? star : 0);
    if (q > best_q) {
      best_q = q;
      best = c;
    }
  }
  const int own_identity = w.q[static_cast<std::size_t>(Coding::identity)];
  // Neither "identity" nor "*" listed: identity is acceptable (§12.5.3) but has no weight of
  // its own, so it is the fallback: "gzip;q=0.5" still asks for gzip.
  if (own_identity == kUnset && star == kUnset) return best ? best : Coding::identity;
  const int identity_q = own_identity != kUnset ? own_identity : star;
  if (best && best_q >= identity_q) return best;  // at equal q, compression wins
  if (identity_q > 0) return Coding::identity;
  return std::nullopt;  // identity excluded and no coding acceptable
}

}  // namespace

std::string_view coding_name(Coding c) noexcept {
  switch (c) {
    case Coding::identity:
      return "identity";
    case Coding::gzip:
      return "gzip";
    case Coding::deflate:
      return "deflate";
    case Coding::br:
      return "br";
    case Coding::zstd:
      return "zstd";
  }
  return "identity";
}

std::optional<Coding> negotiate_encoding(std::span<const std::string_view> values,
                                         std::span<const Coding> available) noexcept {
  Weights w;
  for (std::string_view v : values) w.add_value(v);
  return choose(w, !values.empty(), available);
}

std::optional<Coding> negotiate_encoding(std::span<const char> message, const RequestHead& head,
                                         std::span<const Coding> available) noexcept {
  Weights w;
  bool present = false;
  if (head.field(KnownField::accept_encoding) != nullptr) {
    for (const Field& f : head.fields) {
      if (iequals(text(message, f.name), "accept-encoding")) {
        present = true;
        w.add_value(text(message, f.value));
      }
    }
  }
  return choose(w, present, available);
}

}  // namespace httpfsm
