// A server TLS context for tests and fuzzers: a self-signed ECDSA P-256 certificate for
// "localhost", written to a temporary directory and loaded through TlsContext::load, as the
// server loads its files.
#pragma once

#include <memory>

#include "tls_context.hpp"

namespace httpfsm::server::testing {

// Made once per process and kept; aborts with a message when OpenSSL cannot make or load it.
std::shared_ptr<TlsContext> test_tls_context();

}  // namespace httpfsm::server::testing
