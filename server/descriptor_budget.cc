#include "descriptor_budget.hpp"

#include <sys/resource.h>

#include <algorithm>

namespace httpfsm::server {

DescriptorBudget descriptor_budget(const Config& config, std::uint64_t limit) {
  DescriptorBudget b;
  b.limit = limit;
  const std::uint64_t reserve = 32 + 4 * std::uint64_t{config.workers};
  const std::uint64_t available = limit > reserve ? limit - reserve : 0;
  // Connections first, but a quarter at least goes to files, so that a full house of
  // connections still has files to send (the others are answered 503).
  b.files = std::max(available > config.max_connections ? available - config.max_connections : 0,
                     available / 4);
  b.connections = std::min<std::uint64_t>(config.max_connections, available - b.files);
  return b;
}

DescriptorBudget descriptor_budget(const Config& config) {
  rlimit r{};
  std::uint64_t limit = 1024;
  if (::getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur != RLIM_INFINITY) limit = r.rlim_cur;
  if (r.rlim_cur == RLIM_INFINITY) limit = 1u << 20;
  return descriptor_budget(config, limit);
}

}  // namespace httpfsm::server
