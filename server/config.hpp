// httpfsm-server's command line (getopt_long), which fills a Config. Parsing is a pure
// function of argv so tests can drive it; main() prints the message and exits.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "httpfsm/server/config.hpp"
#include "poller.hpp"

namespace httpfsm::server {

struct CommandLine {
  enum class Action : std::uint8_t { run, help, version, error };
  Action action = Action::run;
  Config config;
  std::string message;  // usage text, version line or the one-line error
};

// Parses argv. Never exits or prints. Errors name the flag: "--port: not a number: x".
CommandLine parse_command_line(const std::vector<std::string>& args);

std::string usage_text();

}  // namespace httpfsm::server
