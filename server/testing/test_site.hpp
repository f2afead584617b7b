// Fixtures for the server's tests: a temporary directory tree, a Site built over it, a
// Connection driven with bytes, and the output drained to a string (file ranges read back).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config.hpp"
#include "connection.hpp"
#include "context.hpp"
#include "output_queue.hpp"
#include "testing/response_reader.hpp"

namespace httpfsm::server::testing {

// mkdtemp under $TMPDIR (or /tmp); removed recursively on destruction.
class TempDir {
 public:
  TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string file(std::string_view relative) const { return path_ + "/" + std::string(relative); }
  void write(std::string_view relative, std::string_view content) const;
  std::string read(std::string_view relative) const;  // "" when missing
  bool exists(std::string_view relative) const;
  void mkdir(std::string_view relative) const;
  void symlink(std::string_view target, std::string_view relative) const;
  std::vector<std::string> list() const;  // names in the top directory, sorted

 private:
  std::string path_;
};

// The Site of httpfsm-server's classic application under `config` (null and an error when a
// directory cannot be opened).
std::unique_ptr<Site> build_classic_site(const Config& config, std::string* error);

// Everything a Connection needs, over a temporary --directory and --static.
class TestSite {
 public:
  explicit TestSite(Config config = {});
  // A new Site and Context under `config` over the same directories; connections made
  // before are invalid.
  void rebuild(const Config& config);
  Config& config() { return site_->config; }
  Site& site() { return *site_; }
  Context& context() { return *context_; }
  Clock& clock() { return clock_; }
  const TempDir& files() const { return files_; }
  const TempDir& statics() const { return static_; }
  std::unique_ptr<Connection> connect() {
    return std::make_unique<Connection>(*context_, "192.0.2.1");
  }

 private:
  TempDir files_;
  TempDir static_;
  Clock clock_;
  std::unique_ptr<Site> site_;
  std::unique_ptr<Context> context_;
};

// Takes everything queued (bytes and file ranges, in order) as one string.
std::string drain(OutputQueue& out);

// Sends `bytes`, then drains and parses the responses. `head_requests` as in read_responses.
struct Exchange {
  std::vector<httpfsm::testing::HttpResponse> responses;
  std::string raw;
  std::string error;  // from the strict reader, or a broken server invariant
};
Exchange exchange(Connection& c, std::string_view bytes, std::vector<bool> head_requests = {});

}  // namespace httpfsm::server::testing

namespace httpfsm::server::testing {
// Inflates a gzip member; throws on malformed input.
std::string gunzip(std::string_view gz);
}  // namespace httpfsm::server::testing
