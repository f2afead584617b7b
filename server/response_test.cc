// write_response(): what the server formatted itself is copied without a second scan, and
// anything a handler set is still checked, so a bad value answers 500 (RFC 9110 §5.5).
#include "response.hpp"

#include <gtest/gtest.h>

#include <string>

#include "testing/test_site.hpp"

namespace httpfsm::server {
namespace {

constexpr std::string_view kDate = "Sun, 06 Nov 1994 08:49:37 GMT";

std::string write(Response& r) {
  OutputQueue out;
  write_response(r, WireOptions{kDate}, out);
  return testing::drain(out);
}

TEST(WriteResponse, writes_the_servers_own_fields_as_given) {
  Response r;
  ResponseInternals::set_trusted_content_type(r, "text/plain");
  ResponseInternals::set_trusted_etag(r, "\"5f3a-1c\"");
  ResponseInternals::add_trusted_field(r, "Accept-Ranges", "bytes");
  r.add_field("X-App", "yes");
  r.body = "hi";
  EXPECT_EQ(write(r),
            "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
            "Content-Type: text/plain\r\nETag: \"5f3a-1c\"\r\nAccept-Ranges: bytes\r\n"
            "X-App: yes\r\nContent-Length: 2\r\n\r\nhi");
}

TEST(WriteResponse, a_handlers_value_is_checked_even_where_the_server_set_one_first) {
  {
    Response r;
    ResponseInternals::set_trusted_content_type(r, "text/plain");
    r.content_type = "text/html\r\nX-Evil: 1";  // a handler replaced it
    EXPECT_EQ(write(r).substr(0, 12), "HTTP/1.1 500");
  }
  {
    Response r;
    ResponseInternals::set_trusted_etag(r, "\"1\"");
    r.etag = "\"1\"\r\nX-Evil: 1";
    EXPECT_EQ(write(r).substr(0, 12), "HTTP/1.1 500");
  }
  {
    Response r;
    ResponseInternals::add_trusted_field(r, "Accept-Ranges", "bytes");
    r.add_field("X-App", "a\r\nX-Evil: 1");  // the next index is not trusted
    EXPECT_EQ(write(r).substr(0, 12), "HTTP/1.1 500");
  }
  {
    Response r;
    ResponseInternals::add_trusted_field(r, "Accept-Ranges", "bytes");
    r.reset();  // forgets what was trusted with the fields
    r.add_field("X-App", "a\r\nX-Evil: 1");
    EXPECT_EQ(write(r).substr(0, 12), "HTTP/1.1 500");
  }
}

}  // namespace
}  // namespace httpfsm::server
