// The single list of everything the WebSocket frame decoder can find wrong with its peer's
// frames: for each error its name, the close code to send (from websocket_close_list.h), the
// rule that makes it wrong and a short message, safe to send as a close reason.
#pragma once

// X(name, close_code, reference, message)
#define HTTPFSM_WS_ERROR_LIST(X)                                                               \
  X(none, 0, "", "no error")                                                                   \
  /* frame header (RFC 6455 §5.2) */                                                          \
  X(reserved_opcode, 1002, "RFC 6455 §5.2", "reserved opcode")                                 \
  X(reserved_bits, 1002, "RFC 6455 §5.2", "RSV bit set without a negotiated extension")        \
  X(unmasked_frame, 1002, "RFC 6455 §5.1", "client frame not masked")                          \
  X(masked_frame, 1002, "RFC 6455 §5.1", "server frame masked")                                \
  X(length_high_bit, 1002, "RFC 6455 §5.2", "64-bit length with the most significant bit set") \
  X(non_minimal_length, 1002, "RFC 6455 §5.2", "length not in its minimal encoding")           \
  /* control frames (RFC 6455 §5.5) */                                                        \
  X(control_too_long, 1002, "RFC 6455 §5.5", "control frame payload over 125 bytes")           \
  X(fragmented_control, 1002, "RFC 6455 §5.5", "control frame without FIN")                    \
  X(compressed_control, 1002, "RFC 7692 §6.1", "RSV1 on a control frame")                      \
  X(bad_close_length, 1002, "RFC 6455 §5.5.1", "close payload of one byte")                    \
  X(bad_close_code, 1002, "RFC 6455 §7.4", "close code that may not be sent")                  \
  X(frame_after_close, 1002, "RFC 6455 §5.5.1", "frame after the close frame")                 \
  /* fragmentation (RFC 6455 §5.4) */                                                         \
  X(unexpected_continuation, 1002, "RFC 6455 §5.4", "continuation without a message")          \
  X(expected_continuation, 1002, "RFC 6455 §5.4", "new message inside a fragmented message")   \
  X(compressed_continuation, 1002, "RFC 7692 §6.1", "RSV1 on a continuation frame")            \
  /* payload (RFC 6455 §8.1, §7.4.1) */                                                      \
  X(invalid_utf8, 1007, "RFC 6455 §8.1", "text is not valid UTF-8")                            \
  X(message_too_big, 1009, "RFC 6455 §7.4.1", "message larger than the limit")
