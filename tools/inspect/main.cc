// httpfsm-inspect: prints how httpfsm parses raw HTTP/1.1 requests, responses or whole
// exchanges (captured traffic, smuggling attempts), message by message, as text or JSON Lines.
//
// Exit status: 0 when every message of every input is valid, 1 when any is not, 2 on a usage
// error or an input that cannot be read.
#include <getopt.h>

#include <httpfsm/limits.hpp>
#include <httpfsm/request_head.hpp>
#include <httpfsm/version.hpp>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "message_scan.hpp"
#include "report.hpp"

namespace {

constexpr int kExitValid = 0;
constexpr int kExitInvalid = 1;
constexpr int kExitUsage = 2;

void usage(std::FILE* out) {
  std::fputs(
      "Usage: httpfsm-inspect [OPTION]... [FILE]...\n"
      "Parse raw HTTP/1.1 requests (pipelined, bodies included) from each FILE, or from\n"
      "standard input when FILE is absent or \"-\", and print each message's parse, or the\n"
      "error with its byte offset, the rule it breaks and the status a server would answer.\n"
      "\n"
      "  -j, --json               one JSON object per message (JSON Lines)\n"
      "  -r, --response           the input holds responses (a client's side of a capture)\n"
      "  -m, --method METHOD      with --response: the method of the requests answered\n"
      "                           (default GET; HEAD: no bodies, CONNECT: a tunnel)\n"
      "  -x, --exchange           the inputs come in pairs, REQUESTS RESPONSES: both\n"
      "                           directions of one connection; each response is framed\n"
      "                           by the request it answers and printed after it\n"
      "  -l, --limit NAME=VALUE   change a parser limit: max_method, max_target,\n"
      "                           max_field_line, max_fields, max_head, max_body,\n"
      "                           max_chunk_ext, max_trailer (see docs/API.md)\n"
      "  -h, --help               print this help and exit\n"
      "  -V, --version            print the version and exit\n"
      "\n"
      "Exit status: 0 if every message is valid, 1 if any is not, 2 on a usage error or an\n"
      "unreadable input.\n",
      out);
}

// Sets one field of `limits` from "name=value"; false when malformed or unknown.
bool set_limit(httpfsm::Limits& limits, std::string_view arg) {
  const std::size_t eq = arg.find('=');
  if (eq == std::string_view::npos || eq + 1 == arg.size()) return false;
  const std::string name(arg.substr(0, eq));
  const std::string value(arg.substr(eq + 1));
  if (value[0] < '0' || value[0] > '9') return false;
  errno = 0;
  char* end = nullptr;
  const unsigned long long n = std::strtoull(value.c_str(), &end, 10);
  if (errno != 0 || *end != '\0') return false;
  const auto u32 = [&](std::uint32_t& field) {
    if (n > 0xffffffffull) return false;
    field = static_cast<std::uint32_t>(n);
    return true;
  };
  if (name == "max_method") return u32(limits.max_method);
  if (name == "max_target") return u32(limits.max_target);
  if (name == "max_field_line") return u32(limits.max_field_line);
  if (name == "max_fields") return u32(limits.max_fields);
  if (name == "max_head") return u32(limits.max_head);
  if (name == "max_chunk_ext") return u32(limits.max_chunk_ext);
  if (name == "max_trailer") return u32(limits.max_trailer);
  if (name == "max_body") {
    limits.max_body = n;
    return true;
  }
  return false;
}

// All of `file` ("-": standard input). false, with a message, when it cannot be read.
bool read_input(const char* name, std::string& out) {
  const bool is_stdin = std::strcmp(name, "-") == 0;
  std::FILE* f = is_stdin ? stdin : std::fopen(name, "rb");
  if (f == nullptr) {
    std::fprintf(stderr, "httpfsm-inspect: %s: %s\n", name, std::strerror(errno));
    return false;
  }
  char chunk[1 << 16];
  std::size_t n;
  while ((n = std::fread(chunk, 1, sizeof chunk, f)) > 0) out.append(chunk, n);
  const bool ok = std::ferror(f) == 0;
  if (!ok) std::fprintf(stderr, "httpfsm-inspect: %s: read error\n", name);
  if (!is_stdin) std::fclose(f);
  return ok;
}

}  // namespace

// A method of the list (httpfsm/method_list.h), by its token.
bool set_method(httpfsm::Method& method, std::string_view token) {
  for (std::size_t i = 1; i < httpfsm::kMethodCount; ++i) {
    if (httpfsm::method_token(static_cast<httpfsm::Method>(i)) == token) {
      method = static_cast<httpfsm::Method>(i);
      return true;
    }
  }
  return false;
}

int main(int argc, char** argv) {
  static const option kOptions[] = {
      {"json", no_argument, nullptr, 'j'},     {"limit", required_argument, nullptr, 'l'},
      {"response", no_argument, nullptr, 'r'}, {"method", required_argument, nullptr, 'm'},
      {"help", no_argument, nullptr, 'h'},     {"version", no_argument, nullptr, 'V'},
      {"exchange", no_argument, nullptr, 'x'}, {nullptr, no_argument, nullptr, 0},
  };
  bool json = false;
  bool responses = false;
  bool exchange = false;
  httpfsm::Method method = httpfsm::Method::get;
  httpfsm::Limits limits;
  for (int c; (c = getopt_long(argc, argv, "jl:rm:hVx", kOptions, nullptr)) != -1;) {
    switch (c) {
      case 'j':
        json = true;
        break;
      case 'l':
        if (!set_limit(limits, optarg)) {
          std::fprintf(stderr, "httpfsm-inspect: bad limit '%s' (expected NAME=NUMBER)\n", optarg);
          usage(stderr);
          return kExitUsage;
        }
        break;
      case 'r':
        responses = true;
        break;
      case 'x':
        exchange = true;
        break;
      case 'm':
        if (!set_method(method, optarg)) {
          std::fprintf(stderr, "httpfsm-inspect: unknown method '%s'\n", optarg);
          usage(stderr);
          return kExitUsage;
        }
        break;
      case 'h':
        usage(stdout);
        return kExitValid;
      case 'V':
        std::printf("httpfsm-inspect %s\n", HTTPFSM_VERSION_STRING);
        return kExitValid;
      default:  // getopt_long has printed what was wrong
        usage(stderr);
        return kExitUsage;
    }
  }

  std::vector<const char*> inputs(argv + optind, argv + argc);
  if (exchange && (responses || inputs.empty() || inputs.size() % 2 != 0)) {
    std::fprintf(stderr, "httpfsm-inspect: --exchange takes pairs of files, REQUESTS RESPONSES\n");
    usage(stderr);
    return kExitUsage;
  }
  if (inputs.empty()) inputs.push_back("-");
  int status = kExitValid;
  std::size_t messages = 0, invalid = 0;
  // Prints a report of `input`, named `name`, and counts it.
  const auto printer = [&](const char* name, const std::string& input) {
    const std::string_view source = std::strcmp(name, "-") == 0 ? "stdin" : name;
    return [&, source](const inspect::MessageReport& m) {
      ++messages;
      if (m.error != httpfsm::Error::none) ++invalid;
      if (json) {
        inspect::print_json(stdout, source, input, m);
      } else {
        inspect::print_text(stdout, source, input, m);
      }
    };
  };
  for (std::size_t i = 0; i < inputs.size(); i += exchange ? 2 : 1) {
    std::string input, answers;
    if (!read_input(inputs[i], input) || (exchange && !read_input(inputs[i + 1], answers))) {
      status = kExitUsage;
      continue;
    }
    bool valid = false;
    if (exchange) {
      valid = inspect::scan_exchange(input, answers, limits, printer(inputs[i], input),
                                     printer(inputs[i + 1], answers));
    } else if (responses) {
      valid = inspect::scan_responses(input, limits, method, printer(inputs[i], input));
    } else {
      valid = inspect::scan_messages(input, limits, printer(inputs[i], input));
    }
    if (!valid && status == kExitValid) status = kExitInvalid;
  }
  if (!json) {
    std::printf("== %zu message%s, %zu valid, %zu invalid\n", messages, messages == 1 ? "" : "s",
                messages - invalid, invalid);
  }
  return status;
}
