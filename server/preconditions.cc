#include "preconditions.hpp"

#include "clock.hpp"
#include "httpfsm/http_date.hpp"
#include "response.hpp"

namespace httpfsm::server {

namespace {

bool is_ows(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

bool is_weak(std::string_view etag) { return etag.substr(0, 2) == "W/"; }

// An HTTP-date field (If-Modified-Since, If-Unmodified-Since) as a time; nullopt when the
// field is absent or not a valid HTTP-date, and so ignored (RFC 9110 §13.1.3, §13.1.4).
std::optional<std::int64_t> date_of(const std::optional<std::string_view>& field,
                                    std::int64_t now) {
  if (!field) return std::nullopt;
  return parse_http_date(*field, now);
}

}  // namespace

bool etag_matches(std::string_view value, std::string_view etag,
                  EtagComparison comparison) noexcept {
  value = trim(value);
  if (value == "*") return true;  // any current representation (§13.1.1, §13.1.2)
  const bool ours_weak = is_weak(etag);
  const std::string_view ours = ours_weak ? etag.substr(2) : etag;
  if (ours.empty() || (comparison == EtagComparison::strong && ours_weak)) return false;
  // #entity-tag, entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE (§8.8.3). etagc excludes DQUOTE,
  // so a tag ends at the next one (a comma inside a tag is part of it). Empty list elements
  // are skipped (§5.6.1.2); anything else ends the scan without a match.
  std::size_t i = 0;
  while (i < value.size()) {
    if (is_ows(value[i]) || value[i] == ',') {
      ++i;
      continue;
    }
    bool weak = false;
    if (value.substr(i, 2) == "W/") {
      weak = true;
      i += 2;
    }
    if (i >= value.size() || value[i] != '"') return false;
    const std::size_t close = value.find('"', i + 1);
    if (close == std::string_view::npos) return false;
    const std::string_view opaque = value.substr(i, close + 1 - i);
    if (opaque == ours && !(weak && comparison == EtagComparison::strong)) return true;
    i = close + 1;
    while (i < value.size() && is_ows(value[i])) ++i;
    if (i < value.size() && value[i] != ',') return false;
  }
  return false;
}

EtagLines::EtagLines(std::span<const char> message, std::span<const Field> fields,
                     std::string_view name) noexcept
    : message_(message), fields_(fields), name_(name) {
  for (const Field& f : fields) {
    if (!iequals(text(message, f.name), name)) continue;
    if (count_++ == 0) first_ = text(message, f.value);
  }
}

bool EtagLines::is_star() const noexcept { return count_ == 1 && trim(first_) == "*"; }

bool EtagLines::matches(std::string_view etag, EtagComparison comparison) const noexcept {
  if (count_ <= 1) return count_ == 1 && etag_matches(first_, etag, comparison);
  for (const Field& f : fields_) {
    if (!iequals(text(message_, f.name), name_)) continue;
    const std::string_view value = text(message_, f.value);
    if (trim(value) != "*" && etag_matches(value, etag, comparison)) return true;
  }
  return false;
}

bool if_range_matches(std::string_view value, const Validators& v) noexcept {
  value = trim(value);
  // If-Range = entity-tag / HTTP-date; a tag starts with DQUOTE or "W/" (§13.1.5).
  if (!value.empty() && (value.front() == '"' || is_weak(value))) {
    return !v.etag.empty() && !is_weak(v.etag) && value == v.etag;
  }
  // An exact match of the Last-Modified value sent. RFC 9110 §8.8.2.2 asks that the date also
  // be a strong validator; like nginx we take the file's date as one (a file changed twice
  // within one second, the second time to the same size, would be missed).
  return !v.last_modified.empty() && value == v.last_modified;
}

ConditionalFields conditional_fields(const Request& request, bool ranges_supported) noexcept {
  ConditionalFields out;
  int modified_lines = 0;
  int unmodified_lines = 0;
  const auto first = [](std::optional<std::string_view>& slot, std::string_view value) {
    if (!slot) slot = value;
  };
  bool if_match = false;
  bool if_none_match = false;
  for (const Field& f : request.head->fields) {
    const std::string_view name = text(request.message, f.name);
    const std::string_view value = text(request.message, f.value);
    if (iequals(name, "If-Match")) {
      if_match = true;
    } else if (iequals(name, "If-None-Match")) {
      if_none_match = true;
    } else if (iequals(name, "If-Modified-Since")) {
      first(out.if_modified_since, value);
      ++modified_lines;
    } else if (iequals(name, "If-Unmodified-Since")) {
      first(out.if_unmodified_since, value);
      ++unmodified_lines;
    } else if (ranges_supported && iequals(name, "If-Range")) {
      first(out.if_range, value);
    } else if (ranges_supported && iequals(name, "Range")) {
      out.range = true;
    }
  }
  // The lists take every line (a second pass only when the field is there at all).
  if (if_match) out.if_match = EtagLines(request.message, request.head->fields, "If-Match");
  if (if_none_match) {
    out.if_none_match = EtagLines(request.message, request.head->fields, "If-None-Match");
  }
  // Two lines are a list of dates, not an HTTP-date: ignored (§13.1.3, §13.1.4).
  if (modified_lines > 1) out.if_modified_since.reset();
  if (unmodified_lines > 1) out.if_unmodified_since.reset();
  return out;
}

Precondition evaluate_preconditions(const ConditionalFields& fields, const Validators& v,
                                    Method method, std::int64_t now) noexcept {
  // §13.2.1: methods that neither select nor modify a representation ignore them all.
  if (method == Method::options || method == Method::connect || method == Method::trace) {
    return Precondition::perform;
  }
  const bool get_or_head = method == Method::get || method == Method::head;
  const bool dated = !v.last_modified.empty();

  // Steps 1 and 2: If-Match, else If-Unmodified-Since; false is 412 (§13.1.1, §13.1.4).
  if (fields.if_match) {
    if (!v.current || !fields.if_match.matches(v.etag, EtagComparison::strong)) {
      return Precondition::failed;
    }
  } else if (const auto since = date_of(fields.if_unmodified_since, now); since && dated) {
    if (v.modified > *since) return Precondition::failed;
  }
  // Steps 3 and 4: If-None-Match, else If-Modified-Since (GET and HEAD only); false is 304
  // for GET and HEAD, 412 for other methods (§13.1.2, §13.1.3).
  if (fields.if_none_match) {
    if (v.current && fields.if_none_match.matches(v.etag, EtagComparison::weak)) {
      return get_or_head ? Precondition::not_modified : Precondition::failed;
    }
  } else if (const auto since = date_of(fields.if_modified_since, now);
             get_or_head && since && dated) {
    if (v.modified <= *since) return Precondition::not_modified;
  }
  // Step 5: If-Range, only for GET with a Range the resource supports (§13.1.5).
  if (method == Method::get && fields.range && fields.if_range &&
      !if_range_matches(*fields.if_range, v)) {
    return Precondition::ignore_range;
  }
  return Precondition::perform;
}

Validators file_validators(const OpenedFile& f, const Clock& clock, Response& response) noexcept {
  // A cached file has its validators formatted already; they stay valid until the response is
  // written. Otherwise they are formatted here and copied into the response.
  FileValidators computed;
  const bool cached = f.validators != nullptr;
  if (!cached) computed = FileValidators::of(f.size, f.mtime_seconds, f.mtime_nanoseconds);
  const FileValidators& fv = cached ? *f.validators : computed;
  Validators v;
  // Formatted from the size and mtime (FileValidators): the writer need not scan it again.
  ResponseInternals::set_trusted_etag(response, cached ? fv.etag() : response.keep(fv.etag()));
  v.etag = response.etag;
  v.modified = last_modified_time(f.mtime_seconds, clock.unix_seconds());
  if (v.modified != f.mtime_seconds) {
    v.last_modified = response.keep(clock.http_date());  // §8.8.2.1: the message date
  } else {
    v.last_modified = cached ? fv.last_modified() : response.keep(fv.last_modified());
  }
  return v;
}

}  // namespace httpfsm::server
