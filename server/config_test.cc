#include "config.hpp"

#include <gtest/gtest.h>

#include "descriptor_budget.hpp"

namespace httpfsm::server {
namespace {

CommandLine parse(std::vector<std::string> args) {
  args.insert(args.begin(), "httpfsm-server");
  return parse_command_line(args);
}

TEST(CommandLine, defaults_are_the_classic_contract) {
  const CommandLine c = parse({});
  EXPECT_EQ(c.action, CommandLine::Action::run);
  EXPECT_EQ(c.config.port, 4221);
  EXPECT_EQ(c.config.bind, "127.0.0.1");
  EXPECT_EQ(c.config.workers, 1u);
  EXPECT_EQ(c.config.event_loop, PollerKind::poll);  // issue 9: poll() stays the default
}

TEST(CommandLine, every_flag) {
  const CommandLine c = parse({"--bind",
                               "::1",
                               "--port",
                               "8080",
                               "--directory",
                               "/tmp/",
                               "--static",
                               "/srv",
                               "--workers",
                               "4",
                               "--max-connections",
                               "100",
                               "--max-body",
                               "2M",
                               "--header-timeout",
                               "0.5",
                               "--idle-timeout=30",
                               "--log",
                               "off",
                               "--event-loop",
                               "poll",
                               "--cors",
                               "*",
                               "--auth-token",
                               "t"});
  ASSERT_EQ(c.action, CommandLine::Action::run) << c.message;
  EXPECT_EQ(c.config.bind, "::1");
  EXPECT_EQ(c.config.port, 8080);
  EXPECT_EQ(c.config.directory, "/tmp/");
  EXPECT_EQ(c.config.static_dir, "/srv");
  EXPECT_EQ(c.config.workers, 4u);
  EXPECT_EQ(c.config.max_connections, 100u);
  EXPECT_EQ(c.config.max_body, 2u << 20);
  EXPECT_EQ(c.config.header_timeout_ms, 500u);
  EXPECT_EQ(c.config.idle_timeout_ms, 30000u);
  EXPECT_EQ(c.config.log, LogFormat::off);
  EXPECT_EQ(c.config.cors_origin, "*");
  EXPECT_EQ(c.config.auth_token, "t");
}

TEST(CommandLine, slow_client_limits) {
  const CommandLine c = parse_command_line({"httpfsm-server", "--body-timeout", "2.5",
                                            "--body-min-rate", "4k", "--shutdown-timeout", "30"});
  ASSERT_EQ(c.action, CommandLine::Action::run) << c.message;
  EXPECT_EQ(c.config.body_timeout_ms, 2500u);
  EXPECT_EQ(c.config.body_min_rate, 4096u);
  EXPECT_EQ(c.config.shutdown_timeout_ms, 30000u);
  EXPECT_EQ(parse_command_line({"httpfsm-server", "--body-min-rate", "0"}).config.body_min_rate,
            0u);
  for (const char* bad : {"--body-timeout", "--shutdown-timeout", "--body-min-rate"}) {
    EXPECT_EQ(parse_command_line({"httpfsm-server", bad, "x"}).action, CommandLine::Action::error)
        << bad;
  }
}

TEST(DescriptorBudget, connections_first_and_a_quarter_at_least_for_files) {
  Config c;
  c.max_connections = 4096;
  DescriptorBudget b = descriptor_budget(c, 65536);  // 65536 - 36 reserved
  EXPECT_EQ(b.connections, 4096u);
  EXPECT_EQ(b.files, 65500u - 4096u);
  b = descriptor_budget(c, 256);  // fewer than max_connections: a quarter goes to files
  EXPECT_EQ(b.files, 55u);
  EXPECT_EQ(b.connections, 165u);
  c.workers = 4;
  b = descriptor_budget(c, 10);  // nothing left beyond the reserve
  EXPECT_EQ(b.files, 0u);
  EXPECT_EQ(b.connections, 0u);
}

TEST(CommandLine, bad_flags_are_one_line_errors) {
  const std::vector<std::vector<std::string>> bad = {
      {"--port", "70000"},
      {"--port", "x"},
      {"--workers", "0"},
      {"--log", "json"},
      {"--event-loop", "select"},
      {"--event-loop", ""},
      {"--max-body", "lots"},
      {"--header-timeout", "0"},
      {"--nope"},
      {"--port"},
      {"stray"},
  };
  for (const auto& args : bad) {
    const CommandLine c = parse(args);
    EXPECT_EQ(c.action, CommandLine::Action::error) << args[0];
    EXPECT_FALSE(c.message.empty());
    EXPECT_EQ(c.message.find('\n'), std::string::npos) << c.message;
  }
  EXPECT_NE(parse({"--nope"}).message.find("--nope"), std::string::npos);
}

TEST(CommandLine, event_loop_picks_each_available_backend) {
  for (const PollerKind k : available_pollers()) {
    const CommandLine c = parse({"--event-loop", std::string(poller_name(k))});
    ASSERT_EQ(c.action, CommandLine::Action::run) << c.message;
    EXPECT_EQ(c.config.event_loop, k);
  }
  if (!poller_available(PollerKind::epoll)) {
    const CommandLine c = parse({"--event-loop", "epoll"});
    EXPECT_EQ(c.action, CommandLine::Action::error);
    EXPECT_NE(c.message.find("not available"), std::string::npos) << c.message;
  }
#ifdef __linux__
  EXPECT_TRUE(poller_available(PollerKind::epoll));  // the build found <sys/epoll.h>
#endif
}

TEST(CommandLine, help_and_version) {
  EXPECT_EQ(parse({"--help"}).action, CommandLine::Action::help);
  EXPECT_NE(parse({"--help"}).message.find("--directory"), std::string::npos);
  EXPECT_EQ(parse({"--version"}).action, CommandLine::Action::version);
}

}  // namespace
}  // namespace httpfsm::server

namespace httpfsm::server {
namespace {

TEST(CommandLine, ws_max_message_takes_a_size) {
  EXPECT_EQ(parse_command_line({"httpfsm-server"}).config.ws_max_message, 1u << 20);
  const CommandLine c = parse_command_line({"httpfsm-server", "--ws-max-message", "64K"});
  ASSERT_EQ(c.action, CommandLine::Action::run) << c.message;
  EXPECT_EQ(c.config.ws_max_message, 64u << 10);
  for (const char* bad : {"0", "12x", ""}) {
    const CommandLine e = parse_command_line({"httpfsm-server", "--ws-max-message", bad});
    EXPECT_EQ(e.action, CommandLine::Action::error) << bad;
    EXPECT_TRUE(e.message.starts_with("--ws-max-message: ")) << e.message;
  }
}

TEST(CommandLine, log_files_for_rotation_by_signal) {
  const CommandLine c = parse({"--access-log", "/var/log/a.log", "--error-log", "/var/log/e.log"});
  ASSERT_EQ(c.action, CommandLine::Action::run);
  EXPECT_EQ(c.config.access_log_file, "/var/log/a.log");
  EXPECT_EQ(c.config.error_log_file, "/var/log/e.log");
  EXPECT_TRUE(parse({}).config.access_log_file.empty());  // default: standard output
  EXPECT_EQ(parse({"--access-log", ""}).action, CommandLine::Action::error);
  EXPECT_EQ(parse({"--error-log", ""}).action, CommandLine::Action::error);
}

}  // namespace
}  // namespace httpfsm::server
