// The public application API through the whole pipeline: an App of the test's own routes and
// middleware, built into a Site and driven through a Connection (no sockets).
#include <gtest/gtest.h>

#include <fcntl.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "connection.hpp"
#include "exchange.hpp"
#include "httpfsm/head_parser.hpp"
#include "httpfsm/server.hpp"
#include "testing/app_site.hpp"
#include "testing/test_site.hpp"

namespace httpfsm::server {
namespace {

using httpfsm::testing::HttpResponse;

// Records the hooks it sees; answers 403 early for paths under /private.
class Recorder final : public Middleware {
 public:
  explicit Recorder(std::vector<std::string>* log) : log_(log) {}
  bool before(const Request& request, Response& response) override {
    log_->push_back("before " + std::string(request.path));
    if (request.path.starts_with("/private")) {
      response.set_error(403);
      return true;
    }
    return false;
  }
  void after(const Request& request, Response& response) override {
    log_->push_back("after " + std::to_string(response.status) +
                    (request.complete() ? "" : " (no head)"));
    response.add_field("X-After", "1");
  }
  void sent(const Request&, int status, std::uint64_t body_bytes) override {
    log_->push_back("sent " + std::to_string(status) + " " + std::to_string(body_bytes));
  }

 private:
  std::vector<std::string>* log_;
};

class AppTest : public ::testing::Test {
 protected:
  AppTest() {
    site_.clock().set(1000, 784111777);
    app_.use(std::make_shared<Recorder>(&hooks_));
    app_.get("/user/{name}/post/{id}", [](const Request& request, Response& response) {
      std::string& out = response.body_buffer();
      out = std::string(request.param("name")) + "," + std::string(request.param("id")) + "," +
            std::string(request.query()) + "," + std::string(request.header("x-CASE")) + "," +
            std::string(request.client);
      response.content_type = "text/plain";
    });
    app_.get("/throws", [](const Request&, Response& response) {
      response.status = 299;
      response.add_field("X-Half", "done");
      throw std::runtime_error("handler bug");
    });
    app_.get("/owned",
             [](const Request&, Response& response) { response.set_body(std::string(3000, 'o')); });
    app_.get("/private/x", [](const Request&, Response& response) { response.body = "secret"; });
    app_.get("/host", [](const Request& request, Response& response) {
      response.body = request.host;  // a view into the request, written before it goes
    });
    app_.put(
        "/notes/{id}",
        [](const Request& request, Response& response) {
          response.set_body("got " + std::string(request.body));
        },
        RouteOptions{8});
    app_.post(
        "/mirror",
        [](const Request& request, Response& response) {
          response.body = request.body;  // a view of the buffered body, written before it goes
        },
        RouteOptions{1 << 20});
    app_.get("/upgrade", [](const Request&, Response& response) { response.upgrade("websocket"); });
    app_.get("/short-file", [this](const Request&, Response& response) {
      // A file range longer than the file: the read fails before anything was sent.
      const int fd = ::open(dir_.file("f").c_str(), O_RDONLY | O_CLOEXEC);
      response.send_file(FileHandle(fd), 0, 100);
    });
    dir_.write("f", "tiny");
    site_.build(config_, app_);
    conn_ = connect();
  }
  std::unique_ptr<Connection> connect() { return site_.connect("2001:db8::1"); }
  HttpResponse one(std::string_view bytes) { return testing::one_response(*conn_, bytes); }

  testing::TempDir dir_;
  std::vector<std::string> hooks_;
  Config config_;
  App app_;
  testing::AppSite site_;
  std::unique_ptr<Connection> conn_;
};

TEST_F(AppTest, a_handler_sees_named_parameters_query_fields_and_the_client) {
  const HttpResponse r =
      one("GET /user/ann%20b/post/7?a=1&b=%20 HTTP/1.1\r\nHost: x\r\nX-Case: yes\r\n\r\n");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "ann b,7,a=1&b=%20,yes,2001:db8::1");  // the query stays raw
}

TEST_F(AppTest, the_client_address_can_be_replaced_for_later_requests) {
  conn_->set_client("198.51.100.7");  // as a PROXY protocol header would report it
  const HttpResponse r = one("GET /user/a/post/1 HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(r.body, "a,1,,,198.51.100.7");
}

TEST_F(AppTest, middleware_hooks_run_in_order_and_after_hooks_see_every_answer) {
  one("GET /user/a/post/1 HTTP/1.1\r\nHost: x\r\n\r\n");
  const HttpResponse missing = one("GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.field("X-After"), "1");
  const std::vector<std::string> expected = {"before /user/a/post/1", "after 200", "sent 200 17",
                                             "after 404", "sent 404 14"};
  EXPECT_EQ(hooks_, expected);  // no route, no before-hook
  hooks_.clear();
  const testing::Exchange bad = testing::exchange(*conn_, "GET /\x01 HTTP/1.1\r\n\r\n");
  ASSERT_EQ(bad.responses.size(), 1u);
  EXPECT_EQ(bad.responses[0].status, 400);
  ASSERT_FALSE(hooks_.empty());
  EXPECT_EQ(hooks_.front(), "after 400 (no head)");
}

TEST_F(AppTest, a_before_hook_answers_early_and_the_handler_does_not_run) {
  const HttpResponse r = one("GET /private/x HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body, "403 Forbidden\n");
  EXPECT_FALSE(r.closes());
}

TEST_F(AppTest, a_throwing_handler_is_a_500_and_the_connection_keeps_serving) {
  const HttpResponse r = one("GET /throws HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body, "500 Internal Server Error\n");
  EXPECT_FALSE(r.has_field("X-Half"));  // the half-filled response is dropped
  EXPECT_EQ(one("GET /user/a/post/1 HTTP/1.1\r\nHost: x\r\n\r\n").status, 200);
}

TEST_F(AppTest, a_file_that_cannot_be_read_whole_is_a_500_that_closes) {
  const HttpResponse r = one("GET /short-file HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body, "500 Internal Server Error: the file could not be read\n");
  EXPECT_TRUE(r.closes());
  conn_ = connect();  // the server keeps serving other connections
  EXPECT_EQ(one("GET /owned HTTP/1.1\r\nHost: x\r\n\r\n").body, std::string(3000, 'o'));
}

TEST_F(AppTest, a_buffered_route_gets_its_body_up_to_its_limit) {
  HttpResponse r = one("PUT /notes/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "got hello");
  r =
      one("PUT /notes/1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
          "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
  EXPECT_EQ(r.body, "got abcde");
  r = one("PUT /notes/1 HTTP/1.1\r\nHost: x\r\n\r\n");  // no body at all (RFC 9112 §6.3)
  EXPECT_EQ(r.body, "got ");
}

TEST_F(AppTest, a_large_buffered_body_can_be_answered_by_view_and_is_not_kept) {
  const std::string big(200 * 1024, 'b');
  for (int i = 0; i < 2; ++i) {  // the second request finds the storage given back
    const HttpResponse r =
        one("POST /mirror HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(big.size()) +
            "\r\n\r\n" + big);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, big);
  }
}

TEST_F(AppTest, a_buffered_body_over_the_route_limit_is_413_by_length_or_by_chunks) {
  HttpResponse r = one("PUT /notes/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\n123456789");
  EXPECT_EQ(r.status, 413);
  EXPECT_TRUE(r.closes());
  conn_ = connect();
  r =
      one("PUT /notes/1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
          "5\r\n12345\r\n5\r\n67890\r\n0\r\n\r\n");
  EXPECT_EQ(r.status, 413);
  EXPECT_TRUE(r.closes());
}

TEST_F(AppTest, the_host_comes_from_an_absolute_form_target_before_host) {
  // RFC 9112 §3.2.2: an origin server that receives an absolute-form target MUST ignore Host
  // and use the target's host; otherwise Host names it (§3.2, RFC 9110 §7.2).
  EXPECT_EQ(one("GET /host HTTP/1.1\r\nHost: c.example\r\n\r\n").body, "c.example");
  EXPECT_EQ(one("GET http://a.example:8080/host?q HTTP/1.1\r\nHost: b.example\r\n\r\n").body,
            "a.example:8080");
  EXPECT_EQ(one("GET http://[2001:db8::7]/host HTTP/1.1\r\nHost: b.example\r\n\r\n").body,
            "[2001:db8::7]");
  conn_ = connect();
  EXPECT_EQ(one("GET /host HTTP/1.0\r\n\r\n").body, "");
}

TEST_F(AppTest, a_handler_can_switch_protocols) {
  conn_->on_bytes("GET /upgrade HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n");
  const std::string raw = testing::drain(conn_->output());
  EXPECT_TRUE(raw.starts_with("HTTP/1.1 101 Switching Protocols\r\n")) << raw;
  EXPECT_NE(raw.find("\r\nUpgrade: websocket\r\n"), std::string::npos) << raw;
  EXPECT_NE(raw.find("\r\nConnection: Upgrade\r\n"), std::string::npos) << raw;
  EXPECT_EQ(raw.find("Content-Length"), std::string::npos) << raw;  // RFC 9110 §8.6
  EXPECT_TRUE(conn_->done());  // no protocol takes the connection over yet
}

TEST_F(AppTest, the_exchange_reports_the_outcome_of_a_switch) {
  const std::string bytes = "GET /upgrade HTTP/1.1\r\nHost: x\r\n\r\n";
  HeadParser parser(site_.site().limits);
  ASSERT_EQ(parser.parse(bytes), Progress::complete);
  OutputQueue out;
  Exchange exchange(site_.context(), out, "192.0.2.9");
  EXPECT_EQ(exchange.begin(parser.head(), bytes), Exchange::Outcome::switch_protocols);
  EXPECT_EQ(site_.context().response.status, 101);
}

TEST_F(AppTest, the_exchange_streams_a_body_after_100_continue) {
  App app;
  std::string received;
  struct Sink final : BodySink {
    explicit Sink(std::string* s) : out(s) {}
    bool write(std::string_view data) override { return out->append(data), true; }
    void finish(const Request& request, Response& response) override {
      response.status = 201;
      response.body = request.param("name");
    }
    std::string* out;
  };
  app.stream(Method::post, "/in/{name}",
             [&received](const Request&, Response&) { return std::make_unique<Sink>(&received); });
  std::string error;
  const auto site = build_site(config_, app, &error);
  Context context(*site, site_.clock());
  Connection conn(context, "192.0.2.9");
  conn.on_bytes(
      "POST /in/box HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(testing::drain(conn.output()), "HTTP/1.1 100 Continue\r\n\r\n");
  const testing::Exchange e = testing::exchange(conn, "abc");
  ASSERT_EQ(e.responses.size(), 1u) << e.raw;
  EXPECT_EQ(e.responses[0].status, 201);
  EXPECT_EQ(e.responses[0].body, "box");  // finish() sees the request routed again
  EXPECT_EQ(received, "abc");
}

}  // namespace
}  // namespace httpfsm::server
