#include "router.hpp"

namespace httpfsm::server {

namespace {

constexpr std::size_t index(Method m) { return static_cast<std::size_t>(m); }

// Order of methods in Allow values.
constexpr Method kAllowOrder[] = {Method::get,   Method::head,    Method::post,   Method::put,
                                  Method::patch, Method::delete_, Method::options};

std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty() || path == "/") return out;
  if (path.front() == '/') path.remove_prefix(1);
  for (;;) {
    const std::size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

}  // namespace

bool is_implemented(Method m) noexcept {
  switch (m) {
    case Method::get:
    case Method::head:
    case Method::post:
    case Method::put:
    case Method::delete_:
    case Method::options:
    case Method::patch:
      return true;
    case Method::trace:    // RFC 9110 §9.3.8: a reflection risk; not offered
    case Method::connect:  // we are not a proxy (§9.3.6)
    case Method::other:
      return false;
  }
  return false;
}

Router::Route& Router::route(std::string_view pattern) {
  std::vector<Segment> segments;
  std::vector<std::string> names;
  for (std::string_view s : split(pattern)) {
    Segment seg;
    if (s.size() >= 2 && s.front() == '{' && s.back() == '}') {
      seg.param = true;
      seg.rest = s.size() > 5 && s.substr(s.size() - 4) == "...}";
      names.emplace_back(s.substr(1, s.size() - (seg.rest ? 5 : 2)));
    } else {
      seg.literal = s;
    }
    segments.push_back(std::move(seg));
  }
  for (Route& r : routes_) {
    bool same = r.segments.size() == segments.size();
    for (std::size_t i = 0; same && i < segments.size(); ++i) {
      same = r.segments[i].literal == segments[i].literal &&
             r.segments[i].param == segments[i].param && r.segments[i].rest == segments[i].rest;
    }
    if (same) return r;
  }
  routes_.push_back(Route{std::move(segments), {}, {}, std::move(names)});
  return routes_.back();
}

void Router::add(Method m, std::string_view pattern, Endpoint endpoint) {
  route(pattern).endpoints[index(m)] = std::move(endpoint);
  update_allow();
}

void Router::update_allow() {
  std::array<bool, 10> any{};
  for (Route& r : routes_) {
    r.allow.clear();
    for (Method m : kAllowOrder) {
      const Endpoint& e = r.endpoints[index(m)];
      bool allowed = !e.empty();
      if (m == Method::head)
        allowed = allowed || static_cast<bool>(r.endpoints[index(Method::get)].handler);
      if (m == Method::options) allowed = true;
      if (!allowed) continue;
      any[index(m)] = true;
      if (!r.allow.empty()) r.allow += ", ";
      r.allow += method_token(m);
    }
  }
  allow_any_.clear();
  for (Method m : kAllowOrder) {
    if (!any[index(m)] && m != Method::options) continue;
    if (!allow_any_.empty()) allow_any_ += ", ";
    allow_any_ += method_token(m);
  }
}

bool Router::matches(const Route& r, std::string_view path, Request& request) {
  request.param_count = 0;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  std::size_t i = 0;
  for (; i < r.segments.size(); ++i) {
    const Segment& seg = r.segments[i];
    if (seg.rest) {
      if (request.param_count < Request::kMaxParams) request.params[request.param_count++] = path;
      return true;
    }
    std::size_t slash = std::string_view::npos;
    if (seg.param) {
      slash = path.find('/');
      const std::string_view s = path.substr(0, slash);
      if (s.empty()) return false;
      if (request.param_count < Request::kMaxParams) request.params[request.param_count++] = s;
    } else {
      // A literal (never holding a slash) is compared first: most routes fail right here,
      // without a search for the slash. It must be followed by the end or a slash.
      const std::size_t n = seg.literal.size();
      if (!path.starts_with(seg.literal) || (path.size() > n && path[n] != '/')) return false;
      if (path.size() > n) slash = n;
    }
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
    if (slash != std::string_view::npos && path.empty() && i + 1 == r.segments.size()) {
      return false;  // "/echo/abc/" is not "/echo/{text}"
    }
  }
  return path.empty();
}

Router::Match Router::match(Request& request) const {
  Match m;
  if (!is_implemented(request.method)) {
    m.outcome = Outcome::not_implemented;
    return m;
  }
  // The path's first segment, found once: a route whose pattern starts with a literal of
  // another length is passed over without the full match (most routes, on most requests).
  std::string_view first = request.path;
  if (!first.empty() && first.front() == '/') first.remove_prefix(1);
  first = first.substr(0, first.find('/'));
  for (const Route& r : routes_) {
    if (!r.segments.empty()) {
      const Segment& s = r.segments.front();
      if (!s.param && s.literal.size() != first.size()) continue;
    }
    if (!matches(r, request.path, request)) continue;
    m.allow = r.allow;
    const Endpoint* e = &r.endpoints[index(request.method)];
    if (request.method == Method::head && !e->handler) e = &r.endpoints[index(Method::get)];
    request.param_names = r.names;
    if (!e->empty()) {
      m.outcome = Outcome::found;
      m.endpoint = e;
    } else if (request.method == Method::options) {
      m.outcome = Outcome::options;
    } else {
      m.outcome = Outcome::method_not_allowed;
    }
    return m;
  }
  request.param_count = 0;
  return m;
}

}  // namespace httpfsm::server
