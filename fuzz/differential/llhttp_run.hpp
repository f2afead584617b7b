// Runs llhttp (Debian's node-llhttp C sources, compiled with LLHTTP_STRICT_MODE=1 and no
// lenient flag) over a stream of requests, or of responses (HTTP_RESPONSE), and records what
// it reports, in the shape the differential target compares with httpfsm's records.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace httpfsm::fuzz {

struct LlhttpMessage {
  std::size_t start = 0;  // offset in the stream of the first byte of the method
  std::string method;
  std::string url;
  int status = 0;      // responses: the status code
  std::string reason;  // responses: the reason-phrase
  int version_major = 0;
  int version_minor = 0;
  std::vector<std::pair<std::string, std::string>> fields;
  bool headers_complete = false;
  bool chunked = false;
  bool has_content_length = false;
  std::uint64_t content_length = 0;
  bool upgrade = false;
  std::string body;
  std::vector<std::pair<std::string, std::string>> trailers;
  bool complete = false;
  bool keep_alive = false;  // llhttp_should_keep_alive() once complete
};

struct LlhttpRun {
  std::vector<LlhttpMessage> messages;  // the last one may be incomplete or failed
  int error = 0;                        // llhttp_errno_t; 0 (HPE_OK) when no error
  std::string error_name;
  std::string error_reason;
  std::size_t error_offset = 0;  // llhttp_get_error_pos() as an offset in the stream
  bool paused_upgrade = false;   // HPE_PAUSED_UPGRADE: llhttp stopped after an upgrade/CONNECT
};

// `responses`: HTTP_RESPONSE mode. At the end of the stream a body that runs until the close
// (llhttp_message_needs_eof) is ended with llhttp_finish(), as a client would on EOF.
LlhttpRun run_llhttp(std::string_view stream, bool responses = false);

std::string describe(const LlhttpRun& run);

}  // namespace httpfsm::fuzz
