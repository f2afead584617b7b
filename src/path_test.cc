#include "httpfsm/path.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <utility>

namespace httpfsm {
namespace {

struct PathCase {
  const char* in;
  const char* normalized;  // nullptr: error
  PathError error = PathError::none;
};

std::string run(PathResult (*f)(std::string_view, std::span<char>, const PathOptions&),
                std::string_view in, const PathOptions& o, PathError* err) {
  std::string out(in.size(), '\0');  // the documented sufficient size, exactly
  const PathResult r = f(in, out, o);
  *err = r.error;
  return r.error == PathError::none ? out.substr(0, r.length) : std::string();
}

// RFC 3986 §5.2.4 examples and §6.2.2 normalisation.
TEST(NormalizePath, removes_dot_segments_as_rfc3986_5_2_4) {
  const PathCase cases[] = {
      {"/", "/"},
      {"/a/b/c/./../../g", "/a/g"},  // the RFC's own example
      {"/a/./b", "/a/b"},
      {"/a/b/..", "/a/"},
      {"/a/b/.", "/a/b/"},
      {"/a/b/", "/a/b/"},
      {"/a//b", "/a//b"},
      {"/a//..", "/a/"},
      {"/.", "/"},
      {"/a/..", "/"},
      {"/..a/a..", "/..a/a.."},
      {"/.../x", "/.../x"},
      {"/%2e%2E/x", nullptr, PathError::above_root},
      {"/a/%2e%2e/b", "/b"},
      {"/a/%2E/b", "/a/b"},
      {"/%7euser/%41%62", "/~user/Ab"},  // unreserved decoded (§6.2.2.2)
      {"/a%2fb/%3f", "/a%2Fb/%3F"},      // the rest upper-cased (§6.2.2.1)
      {"/a%20b", "/a%20b"},
      {"/../a", nullptr, PathError::above_root},
      {"/a/../../b", nullptr, PathError::above_root},
      {"a/b", nullptr, PathError::not_absolute},
      {"", nullptr, PathError::not_absolute},
      {"/a%2", nullptr, PathError::bad_percent},
      {"/a%zz", nullptr, PathError::bad_percent},
      {"/a%/b", nullptr, PathError::bad_percent},
  };
  for (const PathCase& c : cases) {
    PathError err;
    const std::string out = run(normalize_path, c.in, {}, &err);
    if (c.normalized == nullptr) {
      EXPECT_EQ(err, c.error) << c.in;
    } else {
      EXPECT_EQ(err, PathError::none) << c.in;
      EXPECT_EQ(out, c.normalized) << c.in;
      // Idempotent: the normal form is its own normal form.
      PathError again_err;
      EXPECT_EQ(run(normalize_path, out, {}, &again_err), out) << c.in;
    }
  }
}

TEST(NormalizePath, clamps_at_the_root_when_asked) {
  PathOptions clamp;
  clamp.reject_above_root = false;
  PathError err;
  EXPECT_EQ(run(normalize_path, "/../a", clamp, &err), "/a");
  EXPECT_EQ(run(normalize_path, "/a/../../../b/..", clamp, &err), "/");
  EXPECT_EQ(err, PathError::none);
}

TEST(NormalizePath, reports_a_short_buffer) {
  char out[3];
  EXPECT_EQ(normalize_path("/abcd", out).error, PathError::too_long);
  EXPECT_EQ(normalize_path("/ab", out).length, 3u);
}

// Found by PathProperty.any_buffer_size_gives_the_result_or_too_long: the functions work in
// the output buffer, so a buffer that holds the result but not the path may be too small.
// path.hpp now says so; path.size() always suffices.
TEST(NormalizePath, may_need_the_path_size_while_working) {
  char one[1];
  EXPECT_EQ(normalize_path("/a/..", one).error, PathError::too_long);  // result "/"
  char five[5];
  const PathResult r = normalize_path("/a/..", five);
  EXPECT_EQ(r.error, PathError::none);
  EXPECT_EQ(std::string(five, r.length), "/");
  char two[2];
  EXPECT_EQ(decode_path("/%e8", two).error, PathError::too_long);  // result "/\xe8"
  char four[4];
  const PathResult d = decode_path("/%e8", four);
  EXPECT_EQ(d.error, PathError::none);
  EXPECT_EQ(std::string(four, d.length), "/\xe8");
}

TEST(DecodePath, decodes_what_normalisation_left_encoded) {
  PathError err;
  EXPECT_EQ(run(decode_path, "/files/my%20file%21", {}, &err), "/files/my file!");
  EXPECT_EQ(run(decode_path, "/caf%C3%A9", {}, &err), "/caf\xc3\xa9");
  EXPECT_EQ(run(decode_path, "/a/%2e%2e/b%25", {}, &err), "/b%");
  EXPECT_EQ(err, PathError::none);
}

TEST(DecodePath, a_plain_path_comes_back_as_it_is_and_every_other_takes_the_general_way) {
  // Plain (no "%", no segment starting with "."): copied. A dot inside a segment is plain; a
  // segment that starts with one is not, whether or not it is a dot segment.
  for (const auto& [in, want] : std::initializer_list<std::pair<const char*, const char*>>{
           {"/", "/"},
           {"/static/hello.txt", "/static/hello.txt"},
           {"//a//", "//a//"},
           {"/a.b/c.", "/a.b/c."},
           {"/.well-known/x", "/.well-known/x"},
           {"/a/./b", "/a/b"},
           {"/a/b/..", "/a/"},
           {"/a/.", "/a/"},
           {"/a/..b", "/a/..b"},
       }) {
    PathError err;
    EXPECT_EQ(run(decode_path, in, {}, &err), want) << in;
    EXPECT_EQ(err, PathError::none) << in;
  }
  PathError err;
  run(decode_path, "/..", {}, &err);
  EXPECT_EQ(err, PathError::above_root);
  run(decode_path, "a/b", {}, &err);
  EXPECT_EQ(err, PathError::not_absolute);
  char four[4];
  EXPECT_EQ(decode_path("/abcd", four).error, PathError::too_long);
  char five[5];
  EXPECT_EQ(decode_path("/abcd", five).length, 5u);
}

TEST(DecodePath, refuses_encoded_slash_and_nul_by_default) {
  PathError err;
  run(decode_path, "/a%2fb", {}, &err);
  EXPECT_EQ(err, PathError::encoded_slash);
  run(decode_path, "/a%00b", {}, &err);
  EXPECT_EQ(err, PathError::encoded_nul);
  run(decode_path, "/../etc/passwd", {}, &err);
  EXPECT_EQ(err, PathError::above_root);
}

TEST(DecodePath, keeps_an_allowed_encoded_slash_encoded_so_it_cannot_climb) {
  PathOptions o;
  o.reject_encoded_slash = false;
  o.reject_encoded_nul = false;
  PathError err;
  // Decoding "%2F" first would turn "a%2F..%2Fb" into a traversal; it stays one segment.
  EXPECT_EQ(run(decode_path, "/x/a%2F..%2F..%2Fb", o, &err), "/x/a%2F..%2F..%2Fb");
  EXPECT_EQ(run(decode_path, "/a%00", o, &err), std::string("/a\0", 3));
  EXPECT_EQ(err, PathError::none);
}

TEST(PercentDecode, decodes_triplets_and_leaves_plus) {
  std::string out(32, '\0');
  std::size_t n = percent_decode("a%20b+c%2Fd", out);
  EXPECT_EQ(out.substr(0, n), "a b+c/d");
  EXPECT_EQ(percent_decode("%4", out), SIZE_MAX);
  EXPECT_EQ(percent_decode("%g0", out), SIZE_MAX);
  char small[2];
  EXPECT_EQ(percent_decode("abc", small), SIZE_MAX);
  EXPECT_EQ(percent_decode("", out), 0u);
}

TEST(SplitTarget, splits_at_the_first_question_mark) {
  TargetParts p = split_target("/a/b?x=1?y");
  EXPECT_EQ(p.path, "/a/b");
  EXPECT_EQ(p.query, "x=1?y");
  EXPECT_TRUE(p.has_query);
  p = split_target("/a?");
  EXPECT_TRUE(p.has_query);
  EXPECT_EQ(p.query, "");
  p = split_target("/a");
  EXPECT_FALSE(p.has_query);
  EXPECT_EQ(p.path, "/a");
}

TEST(PathError, names) {
  EXPECT_EQ(path_error_name(PathError::above_root), "above_root");
  EXPECT_EQ(path_error_name(PathError::encoded_slash), "encoded_slash");
}

}  // namespace
}  // namespace httpfsm
