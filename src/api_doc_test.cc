// Keeps docs/API.md from drifting away from the code: its error table and its limits table
// must equal the tables generated here from HTTPFSM_ERROR_LIST and from Limits{} (a failure
// prints the block to paste), and it must mention every public header and every function of
// the C API. Runs with the source tree as working directory (src/CMakeLists.txt).
#include <gtest/gtest.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>

#include "httpfsm/error.hpp"
#include "httpfsm/limits.hpp"

namespace httpfsm {
namespace {

constexpr std::string_view kDoc = "docs/API.md";

std::string read_file(std::string_view path) {
  std::ifstream in{std::string(path), std::ios::binary};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The text between "<!-- BEGIN generated: <name> -->\n" and "<!-- END generated: <name> -->".
std::string generated_block(const std::string& doc, std::string_view name) {
  const std::string begin = "<!-- BEGIN generated: " + std::string(name) + " -->\n";
  const std::string end = "<!-- END generated: " + std::string(name) + " -->";
  const std::size_t b = doc.find(begin);
  const std::size_t e = doc.find(end);
  if (b == std::string::npos || e == std::string::npos || e < b) return "(markers missing)";
  return doc.substr(b + begin.size(), e - b - begin.size());
}

std::string status_cell(int status) {
  return status == 0 ? "0 (close, no answer)" : std::to_string(status);
}

std::string error_table() {
  std::string t = "| error | status | rule | meaning |\n|---|---|---|---|\n";
  for (std::size_t i = 1; i < kErrorCount; ++i) {  // from 1: `none` is no error
    const auto e = static_cast<Error>(i);
    t += "| `" + std::string(error_name(e)) + "` | " + status_cell(error_status(e)) + " | " +
         std::string(error_reference(e)) + " | " + std::string(error_message(e)) + " |\n";
  }
  return t;
}

struct LimitRow {
  std::string_view name;
  std::uint64_t value;
  std::uint64_t minimum;
  Error error;
  std::string_view bounds;
};

// Counts the members of an aggregate, so a new limit cannot be left out of the table below.
struct AnyValue {
  template <class T>
  operator T() const {
    return T{};
  }
};
template <class T, class... Members>
constexpr std::size_t member_count() {
  if constexpr (requires { T{Members{}..., AnyValue{}}; }) {
    return member_count<T, Members..., AnyValue>();
  } else {
    return sizeof...(Members);
  }
}

std::array<LimitRow, 8> limit_rows() {
  const Limits d{};
  const Limits m = kMinimumLimits;
  return {{
      {"max_method", d.max_method, m.max_method, Error::method_too_long,
       "bytes of the method token"},
      {"max_target", d.max_target, m.max_target, Error::target_too_long,
       "bytes of the request-target"},
      {"max_field_line", d.max_field_line, m.max_field_line, Error::field_too_long,
       "bytes of one field line, CRLF included"},
      {"max_fields", d.max_fields, m.max_fields, Error::too_many_fields,
       "field lines in the head, and separately in a trailer section"},
      {"max_head", d.max_head, m.max_head, Error::head_too_large,
       "bytes of the head, from its first byte to the empty line's LF"},
      {"max_body", d.max_body, m.max_body, Error::body_too_large,
       "bytes of decoded content; Content-Length is checked before any body byte"},
      {"max_chunk_ext", d.max_chunk_ext, m.max_chunk_ext, Error::chunk_ext_too_long,
       "bytes of the chunk extensions of one chunk"},
      {"max_trailer", d.max_trailer, m.max_trailer, Error::trailer_too_large,
       "bytes of the trailer section, final CRLF included"},
  }};
}
static_assert(member_count<Limits>() == 8, "a new limit needs a row in limit_rows()");

std::string limit_table() {
  std::string t =
      "| limit | default | minimum | error (status) | what it bounds |\n|---|---|---|---|---|\n";
  for (const LimitRow& r : limit_rows()) {
    t += "| `" + std::string(r.name) + "` | " + std::to_string(r.value) + " | " +
         std::to_string(r.minimum) + " | `" + std::string(error_name(r.error)) + "` (" +
         std::to_string(error_status(r.error)) + ") | " + std::string(r.bounds) + " |\n";
  }
  return t;
}

TEST(ApiDoc, lists_every_error_with_its_status_rule_and_meaning) {
  const std::string doc = read_file(kDoc);
  ASSERT_FALSE(doc.empty()) << kDoc << " not found; run from the source tree";
  EXPECT_EQ(generated_block(doc, "errors"), error_table())
      << "Replace the errors block of " << kDoc << " with:\n"
      << error_table();
}

TEST(ApiDoc, lists_every_limit_with_its_default_and_minimum) {
  const std::string doc = read_file(kDoc);
  ASSERT_FALSE(doc.empty()) << kDoc << " not found; run from the source tree";
  EXPECT_EQ(generated_block(doc, "limits"), limit_table())
      << "Replace the limits block of " << kDoc << " with:\n"
      << limit_table();
}

TEST(ApiDoc, the_error_table_names_every_error_once) {
  const std::string table = error_table();
  std::set<std::string> seen;
  for (std::size_t i = 1; i < kErrorCount; ++i) {
    const std::string cell = "| `" + std::string(error_name(static_cast<Error>(i))) + "` |";
    EXPECT_NE(table.find(cell), std::string::npos) << cell;
    EXPECT_TRUE(seen.insert(cell).second) << cell;
  }
  EXPECT_EQ(seen.size(), kErrorCount - 1);
}

TEST(ApiDoc, mentions_every_function_of_the_c_api) {
  const std::string doc = read_file(kDoc);
  const std::string header = read_file("src/include/httpfsm/httpfsm.h");
  ASSERT_FALSE(header.empty());
  const std::regex declaration(R"(\b(httpfsm_[a-z0-9_]+)\()");
  std::size_t functions = 0;
  for (auto it = std::sregex_iterator(header.begin(), header.end(), declaration);
       it != std::sregex_iterator(); ++it) {
    const std::string name = (*it)[1];
    ++functions;
    EXPECT_NE(doc.find("`" + name + "`"), std::string::npos) << name << " is not in " << kDoc;
  }
  EXPECT_GT(functions, 40u);
}

TEST(ApiDoc, mentions_every_public_header) {
  const std::string doc = read_file(kDoc);
  std::size_t headers = 0;
  for (const auto& entry : std::filesystem::directory_iterator("src/include/httpfsm")) {
    const std::string name = "httpfsm/" + entry.path().filename().string();
    ++headers;
    EXPECT_NE(doc.find(name), std::string::npos) << name << " is not in " << kDoc;
  }
  EXPECT_GT(headers, 10u);
  EXPECT_NE(doc.find("httpfsm/version.hpp"), std::string::npos);  // generated, not in src/
}

}  // namespace
}  // namespace httpfsm
