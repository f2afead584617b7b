// Content negotiation of Accept-Encoding (RFC 9110 §12.5.3), without allocation.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "httpfsm/request_head.hpp"

namespace httpfsm {

// Content codings a server may produce (RFC 9110 §8.4.1, IANA registry).
enum class Coding : std::uint8_t { identity, gzip, deflate, br, zstd };
std::string_view coding_name(Coding c) noexcept;  // "gzip"

// Picks the content coding for a response.
//   values: every Accept-Encoding field line's value, in order (RFC 9110 §5.3 combines
//           them); empty when the field is absent, which means any coding is acceptable.
//   available: the codings the server can produce for this response besides identity, in
//           its order of preference.
// Rules (RFC 9110 §12.5.3): a coding's q-value is that of its own entry, else that of "*";
// q=0 means "not acceptable"; "x-gzip" is "gzip" (§8.4.1.3); names are case-insensitive;
// unknown codings and malformed elements are ignored; the first entry for a coding counts.
// The coding with the highest q wins; ties go to the earlier entry of `available`.
// identity's q is that of "identity", else that of "*"; any acceptable coding beats identity
// at equal q (compression is why the server offers it), and when neither "identity" nor "*"
// is listed, identity is only the fallback ("gzip;q=0.5" picks gzip). identity is excluded
// by "identity;q=0", or "*;q=0" without an identity entry. With the field absent, or present
// with an empty value, identity is chosen.
// Returns nullopt when nothing is acceptable, not even identity (a server may answer 406 or
// send identity anyway, §12.5.3).
std::optional<Coding> negotiate_encoding(std::span<const std::string_view> values,
                                         std::span<const Coding> available) noexcept;

// The same, reading every Accept-Encoding line of a parsed head.
std::optional<Coding> negotiate_encoding(std::span<const char> message, const RequestHead& head,
                                         std::span<const Coding> available) noexcept;

}  // namespace httpfsm
