// The single list of WebSocket close codes that have a name: the codes RFC 6455 §7.4.1 defines
// and the ones the IANA "WebSocket Close Code Number Registry" (RFC 6455 §11.7) added, each with
// its number, the rule that defines it and whether an endpoint may put it on the wire.
//
// RFC 6455 §7.4.1: 1004 is reserved; 1005 (no status), 1006 (abnormal closure) and 1015 (TLS
// handshake failure) "MUST NOT be set as a status code in a Close control frame by an
// endpoint": they exist only for reporting a close locally. Everything else here may be sent
// and received. Codes 3000-4999 (§7.4.2) are valid on the wire without a name here.
#pragma once

// X(name, code, reference, on_wire, message)
#define HTTPFSM_WS_CLOSE_LIST(X)                                                            \
  X(normal_closure, 1000, "RFC 6455 §7.4.1", 1, "normal closure")                           \
  X(going_away, 1001, "RFC 6455 §7.4.1", 1, "endpoint going away")                          \
  X(protocol_error, 1002, "RFC 6455 §7.4.1", 1, "protocol error")                           \
  X(unsupported_data, 1003, "RFC 6455 §7.4.1", 1, "data type not accepted")                 \
  X(reserved, 1004, "RFC 6455 §7.4.1", 0, "reserved")                                       \
  X(no_status_received, 1005, "RFC 6455 §7.4.1", 0, "no status code present")               \
  X(abnormal_closure, 1006, "RFC 6455 §7.4.1", 0, "closed without a close frame")           \
  X(invalid_payload, 1007, "RFC 6455 §7.4.1", 1, "message data inconsistent with its type") \
  X(policy_violation, 1008, "RFC 6455 §7.4.1", 1, "policy violation")                       \
  X(message_too_big, 1009, "RFC 6455 §7.4.1", 1, "message too big to process")              \
  X(mandatory_extension, 1010, "RFC 6455 §7.4.1", 1, "expected extension not negotiated")   \
  X(internal_error, 1011, "RFC 6455 §7.4.1", 1, "unexpected condition")                     \
  X(service_restart, 1012, "IANA close code registry", 1, "service restarting")             \
  X(try_again_later, 1013, "IANA close code registry", 1, "try again later")                \
  X(bad_gateway, 1014, "IANA close code registry", 1, "bad gateway")                        \
  X(tls_handshake, 1015, "RFC 6455 §7.4.1", 0, "TLS handshake failed")
