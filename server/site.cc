#include "context.hpp"
#include "handlers.hpp"

namespace httpfsm::server {

std::unique_ptr<Site> build_site(const Config& config, std::string* error) {
  auto site = std::make_unique<Site>();
  site->config = config;
  site->limits.max_body = config.max_body;
  if (!config.directory.empty()) {
    site->files = FileStore::open(config.directory, error);
    if (!site->files.valid()) {
      *error = "--directory " + *error;
      return nullptr;
    }
  }
  if (!config.static_dir.empty()) {
    site->static_files = FileStore::open(config.static_dir, error);
    if (!site->static_files.valid()) {
      *error = "--static " + *error;
      return nullptr;
    }
  }
  register_routes(site->router);
  return site;
}

}  // namespace httpfsm::server
