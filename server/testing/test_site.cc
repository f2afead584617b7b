#include "testing/test_site.hpp"

#include "classic_app.hpp"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace httpfsm::server::testing {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl =
      std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/httpfsm-test-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void TempDir::write(std::string_view relative, std::string_view content) const {
  std::ofstream f(file(relative), std::ios::binary | std::ios::trunc);
  f.write(content.data(), static_cast<std::streamsize>(content.size()));
}

std::string TempDir::read(std::string_view relative) const {
  std::ifstream f(file(relative), std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

bool TempDir::exists(std::string_view relative) const {
  struct stat st {};
  return ::lstat(file(relative).c_str(), &st) == 0;
}

void TempDir::mkdir(std::string_view relative) const { ::mkdir(file(relative).c_str(), 0755); }

void TempDir::symlink(std::string_view target, std::string_view relative) const {
  if (::symlink(std::string(target).c_str(), file(relative).c_str()) != 0) {
    throw std::runtime_error("symlink failed");
  }
}

std::vector<std::string> TempDir::list() const {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(path_)) {
    names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::unique_ptr<Site> build_classic_site(const Config& config, std::string* error) {
  App app;
  if (!make_classic_app(config, &app, error)) return nullptr;
  return build_site(config, app, error);
}

TestSite::TestSite(Config config) {
  config.directory = files_.path();
  config.static_dir = static_.path();
  config.log = LogFormat::common;
  clock_.set(1000, 784111777);  // Sun, 06 Nov 1994 08:49:37 GMT
  rebuild(config);
}

void TestSite::rebuild(const Config& config) {
  context_.reset();
  std::string error;
  site_ = build_classic_site(config, &error);
  if (!site_) throw std::runtime_error(error);
  context_ = std::make_unique<Context>(*site_, clock_);
}

std::string drain(OutputQueue& out) {
  std::string all;
  while (!out.empty()) {
    const std::span<const char> bytes = out.next_bytes();
    if (!bytes.empty()) {
      all.append(bytes.data(), bytes.size());
      out.consume_bytes(bytes.size());
      continue;
    }
    FileSegment* f = out.next_file();
    std::string chunk(static_cast<std::size_t>(f->length), '\0');
    const ssize_t n =
        ::pread(f->file.get(), chunk.data(), chunk.size(), static_cast<off_t>(f->offset));
    if (n <= 0) throw std::runtime_error("file segment unreadable");
    chunk.resize(static_cast<std::size_t>(n));
    all += chunk;
    out.consume_file(static_cast<std::uint64_t>(n));
  }
  return all;
}

Exchange exchange(Connection& c, std::string_view bytes, std::vector<bool> head_requests) {
  Exchange e;
  c.on_bytes(bytes);
  e.raw = drain(c.output());
  c.on_output_progress();
  // Responses held back by the output bound come out as the output drains.
  for (std::string more = drain(c.output()); !more.empty(); more = drain(c.output())) {
    e.raw += more;
    c.on_output_progress();
  }
  std::vector<char> flags(head_requests.begin(), head_requests.end());
  std::unique_ptr<bool[]> heads(new bool[flags.size() + 1]);
  for (std::size_t i = 0; i < flags.size(); ++i) heads[i] = flags[i] != 0;
  if (!httpfsm::testing::read_responses(e.raw, &e.responses, &e.error,
                                        {heads.get(), flags.size()})) {
    return e;
  }
  for (const auto& r : e.responses) {
    const std::string broken = httpfsm::testing::check_server_invariants(r);
    if (!broken.empty()) {
      e.error = broken;
      break;
    }
  }
  return e;
}

}  // namespace httpfsm::server::testing

#include <zlib.h>

namespace httpfsm::server::testing {

std::string gunzip(std::string_view gz) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) throw std::runtime_error("inflateInit2");
  std::string out;
  char buf[16384];
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  z.avail_in = static_cast<uInt>(gz.size());
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&z);
      throw std::runtime_error("not gzip");
    }
    out.append(buf, sizeof buf - z.avail_out);
    if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) {
      inflateEnd(&z);
      throw std::runtime_error("truncated gzip");
    }
  }
  inflateEnd(&z);
  return out;
}

}  // namespace httpfsm::server::testing
