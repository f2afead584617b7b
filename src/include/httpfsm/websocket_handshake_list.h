// The single list of outcomes of checking a WebSocket opening handshake (RFC 6455 §4.2.1): for
// each its name, the status a server answers instead of 101 (0 for `ok`), the rule and a
// short message, safe to send as a response body.
#pragma once

// X(name, status, reference, message)
#define HTTPFSM_WS_HANDSHAKE_LIST(X)                                                       \
  X(ok, 0, "RFC 6455 §4.2.1", "valid opening handshake")                                   \
  X(not_get, 400, "RFC 6455 §4.2.1 item 1", "method is not GET")                           \
  X(not_http11, 400, "RFC 6455 §4.2.1 item 1", "HTTP version below 1.1")                   \
  X(has_body, 400, "RFC 6455 §4.1", "opening handshake with content")                      \
  X(missing_upgrade, 400, "RFC 6455 §4.2.1 item 3", "Upgrade does not list websocket")     \
  X(missing_connection_upgrade, 400, "RFC 6455 §4.2.1 item 4", "Connection lacks upgrade") \
  X(missing_key, 400, "RFC 6455 §4.2.1 item 5", "no Sec-WebSocket-Key")                    \
  X(bad_key, 400, "RFC 6455 §4.2.1 item 5", "Sec-WebSocket-Key is not 16 bytes in base64") \
  X(missing_version, 400, "RFC 6455 §4.2.1 item 6", "no Sec-WebSocket-Version")            \
  X(unsupported_version, 426, "RFC 6455 §4.2.2", "Sec-WebSocket-Version is not 13")
