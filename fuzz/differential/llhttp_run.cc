#include "llhttp_run.hpp"

#include <llhttp.h>

#include "request_stream.hpp"

namespace httpfsm::fuzz {

namespace {

struct State {
  const char* base = nullptr;
  LlhttpRun* run = nullptr;
  bool last_was_value = true;  // the next header-field callback starts a new field
  LlhttpMessage& current() { return run->messages.back(); }
  std::vector<std::pair<std::string, std::string>>& lines() {
    return current().headers_complete ? current().trailers : current().fields;
  }
};

State& state(llhttp_t* p) { return *static_cast<State*>(p->data); }

int on_message_begin(llhttp_t* p) {
  state(p).run->messages.emplace_back();
  state(p).last_was_value = true;
  return 0;
}
int on_method(llhttp_t* p, const char* at, std::size_t n) {
  State& s = state(p);
  if (s.current().method.empty()) s.current().start = static_cast<std::size_t>(at - s.base);
  s.current().method.append(at, n);
  return 0;
}
int on_status(llhttp_t* p, const char* at, std::size_t n) {
  state(p).current().reason.append(at, n);
  return 0;
}
int on_url(llhttp_t* p, const char* at, std::size_t n) {
  state(p).current().url.append(at, n);
  return 0;
}
int on_header_field(llhttp_t* p, const char* at, std::size_t n) {
  State& s = state(p);
  if (s.last_was_value) s.lines().emplace_back();
  s.last_was_value = false;
  s.lines().back().first.append(at, n);
  return 0;
}
int on_header_value(llhttp_t* p, const char* at, std::size_t n) {
  State& s = state(p);
  s.last_was_value = true;
  s.lines().back().second.append(at, n);
  return 0;
}
int on_header_value_complete(llhttp_t* p) {
  state(p).last_was_value = true;
  return 0;
}
int on_headers_complete(llhttp_t* p) {
  LlhttpMessage& m = state(p).current();
  m.headers_complete = true;
  m.version_major = p->http_major;
  m.version_minor = p->http_minor;
  m.status = p->status_code;
  m.chunked = (p->flags & F_CHUNKED) != 0;
  m.has_content_length = (p->flags & F_CONTENT_LENGTH) != 0;
  m.content_length = p->content_length;
  m.upgrade = p->upgrade != 0;
  state(p).last_was_value = true;
  return 0;
}
int on_body(llhttp_t* p, const char* at, std::size_t n) {
  state(p).current().body.append(at, n);
  return 0;
}
int on_message_complete(llhttp_t* p) {
  state(p).current().complete = true;
  state(p).current().keep_alive = llhttp_should_keep_alive(p) != 0;
  return 0;
}

}  // namespace

LlhttpRun run_llhttp(std::string_view stream, bool responses) {
  LlhttpRun run;
  llhttp_settings_t settings;
  llhttp_settings_init(&settings);
  settings.on_message_begin = on_message_begin;
  settings.on_method = on_method;
  settings.on_url = on_url;
  settings.on_status = on_status;
  settings.on_header_field = on_header_field;
  settings.on_header_value = on_header_value;
  settings.on_header_value_complete = on_header_value_complete;
  settings.on_headers_complete = on_headers_complete;
  settings.on_body = on_body;
  settings.on_message_complete = on_message_complete;
  llhttp_t parser;
  llhttp_init(&parser, responses ? HTTP_RESPONSE : HTTP_REQUEST, &settings);
  State s;
  s.base = stream.data();
  s.run = &run;
  parser.data = &s;
  llhttp_errno_t e = llhttp_execute(&parser, stream.data(), stream.size());
  // The stream's end is the connection's: it ends a body delimited by the close.
  if (responses && e == HPE_OK && llhttp_message_needs_eof(&parser)) e = llhttp_finish(&parser);
  if (e == HPE_PAUSED_UPGRADE) {
    run.paused_upgrade = true;
  } else if (e != HPE_OK) {
    run.error = e;
    run.error_name = llhttp_errno_name(e);
    run.error_reason = llhttp_get_error_reason(&parser) ? llhttp_get_error_reason(&parser) : "";
    const char* pos = llhttp_get_error_pos(&parser);
    run.error_offset = pos ? static_cast<std::size_t>(pos - stream.data()) : stream.size();
  }
  return run;
}

std::string describe(const LlhttpRun& run) {
  std::string s;
  for (std::size_t i = 0; i < run.messages.size(); ++i) {
    const LlhttpMessage& m = run.messages[i];
    s += "#" + std::to_string(i) + " @" + std::to_string(m.start) + " " + escape(m.method) + " " +
         escape(m.url) + " " + std::to_string(m.version_major) + "." +
         std::to_string(m.version_minor);
    if (m.status != 0) s += " " + std::to_string(m.status) + " " + escape(m.reason);
    for (const auto& [name, value] : m.fields) s += "; " + escape(name) + "=" + escape(value);
    if (m.headers_complete) {
      s += std::string(" headers_complete") + (m.chunked ? " chunked" : "") +
           (m.has_content_length ? " cl=" + std::to_string(m.content_length) : "") +
           (m.upgrade ? " upgrade" : "") + " body=\"" + escape(m.body) + "\"";
      for (const auto& [name, value] : m.trailers)
        s += " trailer " + escape(name) + "=" + escape(value);
    }
    if (m.complete) s += std::string(" complete") + (m.keep_alive ? " keep-alive" : " close");
    s += "\n";
  }
  if (run.error != 0) {
    s += "error " + run.error_name + " (" + run.error_reason + ") @" +
         std::to_string(run.error_offset) + "\n";
  }
  if (run.paused_upgrade) s += "paused for upgrade\n";
  return s;
}

}  // namespace httpfsm::fuzz
