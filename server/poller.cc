#include "poller.hpp"

namespace httpfsm::server {

namespace {

#if HTTPFSM_HAVE_EPOLL
constexpr PollerKind kAvailable[] = {PollerKind::poll, PollerKind::epoll};
#else
constexpr PollerKind kAvailable[] = {PollerKind::poll};
#endif

}  // namespace

std::string_view poller_name(PollerKind kind) noexcept {
  switch (kind) {
    case PollerKind::poll:
      return "poll";
    case PollerKind::epoll:
      return "epoll";
  }
  return "?";
}

std::span<const PollerKind> available_pollers() noexcept { return kAvailable; }

bool poller_available(PollerKind kind) noexcept {
  for (const PollerKind k : kAvailable) {
    if (k == kind) return true;
  }
  return false;
}

std::unique_ptr<Poller> make_poller(PollerKind kind) {
  switch (kind) {
    case PollerKind::poll:
      return make_poll_poller();
    case PollerKind::epoll:
#if HTTPFSM_HAVE_EPOLL
      return make_epoll_poller();
#else
      return nullptr;
#endif
  }
  return nullptr;
}

}  // namespace httpfsm::server
