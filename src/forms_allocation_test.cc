// Proves "no allocation per part": global operator new is replaced by a counting one for this
// binary, and a window counts the allocations made while parsing multipart bodies of many
// parts (fed whole and in pieces) and running the form, cookie and Content-Disposition
// helpers over them. Nothing is constructed inside the window except on the stack.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "httpfsm/content_disposition.hpp"
#include "httpfsm/cookie.hpp"
#include "httpfsm/multipart.hpp"
#include "httpfsm/set_cookie.hpp"
#include "httpfsm/urlencoded.hpp"
#include "testing/allocation_counter.hpp"

namespace httpfsm {
namespace {

using testing::AllocationWindow;

TEST(FormsAllocation, the_counter_sees_allocations) {
  AllocationWindow w;
  std::string* volatile s = new std::string(100, 'x');  // volatile: not elided
  const std::uint64_t seen = w.count();
  delete s;
  EXPECT_GE(seen, 1u);
}

std::string many_parts(std::size_t parts) {
  std::string body = "preamble\r\n";
  for (std::size_t i = 0; i < parts; ++i) {
    body += "--XyZ\r\nContent-Disposition: form-data; name=\"f" + std::to_string(i) +
            "\"; filename=\"a\\\"" + std::to_string(i) +
            ".bin\"\r\nContent-Type: " + "application/octet-stream\r\n\r\n" +
            std::string(i % 300, static_cast<char>(i)) + "\r\n--X\r\n";
  }
  return body + "--XyZ--\r\nepilogue";
}

TEST(FormsAllocation, parsing_multipart_allocates_nothing_per_part) {
  const std::string body = many_parts(500);
  MultipartParser parser;
  std::array<char, 256> scratch{};
  std::size_t parts = 0, dispositions = 0, content = 0;
  AllocationWindow window;
  for (const std::size_t piece : {body.size(), std::size_t{7}, std::size_t{1}}) {
    parser.start("XyZ");
    // Feed `piece` bytes at a time; the unconsumed rest stays at the front (a window into
    // `body`, as a caller's buffer would hold it).
    std::size_t begin = 0, end = 0;
    for (;;) {
      const MultipartStep s = parser.parse({body.data() + begin, end - begin});
      if (s.event == MultipartEvent::failed) break;
      begin += s.consumed;
      if (s.event == MultipartEvent::part_begin) ++parts;
      if (s.event == MultipartEvent::content) content += s.data.size();
      if (s.event == MultipartEvent::header && s.name == "Content-Disposition") {
        dispositions += parse_form_data_disposition(s.value, scratch).error == MultipartError::none;
      }
      if (s.event == MultipartEvent::need_more) {
        if (end == body.size()) break;
        end = std::min(body.size(), end + piece);
      }
    }
    EXPECT_EQ(parser.finish(), MultipartError::none);
  }
  EXPECT_EQ(window.count(), 0u);
  EXPECT_EQ(parts, 1500u);
  EXPECT_EQ(dispositions, 1500u);
  EXPECT_GT(content, 0u);
}

TEST(FormsAllocation, form_and_cookie_helpers_allocate_nothing) {
  const std::string form = "a=1&b=%41%42+c&&name=J%C3%B6rg&a=2";
  const std::string cookies = "sid=abc; lang=en-US; theme=dark";
  std::array<char, 64> buffer{};
  std::array<FormPair, 8> pairs{};
  std::array<char, 256> out{};
  std::size_t found = 0;
  AllocationWindow window;
  for (int round = 0; round < 1000; ++round) {
    found += decode_form(form, buffer, pairs).count == 4;
    found += find_form_value(form, "name", buffer).has_value();
    found += find_cookie(cookies, "theme").has_value();
    SetCookie c;
    c.name = "sid";
    c.value = "abc";
    c.expires = 784111777;
    c.path = "/";
    c.http_only = true;
    found += write_set_cookie(c, out).error == SetCookieError::none;
  }
  EXPECT_EQ(window.count(), 0u);
  EXPECT_EQ(found, 4000u);
}

}  // namespace
}  // namespace httpfsm
