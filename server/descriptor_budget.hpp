// DescriptorBudget: how the process's descriptor limit (the soft RLIMIT_NOFILE, which
// httpfsm-server raises to the hard one at start, as nginx's worker_rlimit_nofile does) is
// shared between connections and the files queued for sending. Each connection holds its
// socket, and each response sent with sendfile() holds its file open until it is sent: a
// client that pipelines GETs and never reads could otherwise pin every descriptor (the
// regression: 314 of 640 such requests answered 500 under a 256-descriptor limit). A file
// response over the budget is answered 503 instead (Exchange::answer).
//
// Life cycle: computed once per worker at start-up. Purity: reads getrlimit() only.
#pragma once

#include <cstdint>

#include "httpfsm/server/config.hpp"

namespace httpfsm::server {

struct DescriptorBudget {
  std::uint64_t limit = 0;        // the soft RLIMIT_NOFILE
  std::uint64_t connections = 0;  // open connections the limit allows (at most max_connections)
  std::uint64_t files = 0;        // files queued for sending, all workers together
};

// Descriptors kept aside for listeners, wake-up and spare descriptors, the event loop and
// standard streams: 32 and 4 per worker.
DescriptorBudget descriptor_budget(const Config& config);
// The same for a given limit (tests).
DescriptorBudget descriptor_budget(const Config& config, std::uint64_t limit);

}  // namespace httpfsm::server
