// The write side of a TLS connection's socket: a BIO that gathers sealed records and sends
// them together.
//
// Why: OpenSSL seals at most 16 KiB per record (RFC 8446 §5.1) and hands each record to its
// write BIO at once. Over a socket BIO that is one send() per record: a 1 MiB body took 67
// write() calls and ran the kernel's TCP send path as often (strace, docs/PERFORMANCE.md
// "TLS"), where h2o, which seals into memory and sends many records with one call, spent
// 0.77x our CPU per MiB. This BIO keeps records in a bounded buffer and sends it when full
// or flushed, so the socket sees writes of up to kTlsGatherBytes.
//
// Contract:
// - write: takes bytes while the buffer has room; when it is full, sends it first. Nothing
//   taken -> a retry (BIO_should_retry, SSL_ERROR_WANT_WRITE) when the socket is full, an
//   error when the socket failed.
// - BIO_flush: sends what is buffered; 1 once all is out, 0 with a retry when the socket is
//   full (the bytes stay for the next flush), -1 when the socket failed. OpenSSL flushes its
//   own handshake flights and alerts; the owner (TlsTransport) flushes after each batch of
//   SSL_write calls and waits for the socket to turn writable while bytes remain.
// - BIO_wpending: the bytes still buffered.
// - Memory: the buffer exists only while it holds bytes, so an idle connection has none.
// - Reads never come here: the session's read BIO is a plain socket BIO.
// The socket is not closed with the BIO.
#pragma once

#include <cstddef>

using BIO = struct bio_st;

namespace httpfsm::server {

// Four full TLS records with their headers and tags, and what loopback TCP takes in one
// segment train (64 KiB GSO).
inline constexpr std::size_t kTlsGatherBytes = 64 * 1024;

// A new gathering write BIO over the non-blocking socket fd; null when out of memory.
BIO* new_gather_bio(int fd);

}  // namespace httpfsm::server
