#include "file_store.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <thread>

#include "testing/test_site.hpp"

namespace httpfsm::server {
namespace {

using testing::TempDir;

class FileStoreTest : public ::testing::TestWithParam<bool> {
 protected:
  FileStoreTest() {
    root_.mkdir("sub");
    root_.write("sub/a.txt", "A");
    root_.write("top", "T");
    outside_.write("secret", "S");
    std::string error;
    store_ = FileStore::open(root_.path(), &error);
    if (GetParam()) store_.force_fallback_for_testing();
  }
  FileStatus open(std::string_view p) {
    OpenedFile f;
    return store_.open_file(p, &f);
  }
  TempDir root_;
  TempDir outside_;
  FileStore store_;
};

TEST_P(FileStoreTest, opens_files_and_directories_under_the_root) {
  OpenedFile f;
  ASSERT_EQ(store_.open_file("sub/a.txt", &f), FileStatus::ok);
  EXPECT_EQ(f.size, 1u);
  EXPECT_FALSE(f.directory);
  ASSERT_EQ(store_.open_file("/sub/", &f), FileStatus::ok);
  EXPECT_TRUE(f.directory);
  EXPECT_EQ(open("missing"), FileStatus::not_found);
  EXPECT_EQ(open("top/x"), FileStatus::not_found);  // ENOTDIR
}

TEST_P(FileStoreTest, refuses_unsafe_paths_before_any_system_call) {
  EXPECT_EQ(open("../x"), FileStatus::forbidden);
  EXPECT_EQ(open("sub/../../x"), FileStatus::forbidden);
  EXPECT_EQ(open("sub/./a.txt"), FileStatus::forbidden);
  EXPECT_EQ(open("sub//a.txt"), FileStatus::forbidden);
  EXPECT_EQ(open("sub\\a.txt"), FileStatus::forbidden);
  EXPECT_EQ(open(std::string_view("top\0x", 5)), FileStatus::forbidden);
  EXPECT_EQ(open(".httpfsm-upload-1-2"), FileStatus::forbidden);
}

TEST_P(FileStoreTest, refuses_symlinks_that_lead_out_and_follows_those_inside) {
  root_.symlink(outside_.file("secret"), "escape");
  root_.symlink(outside_.path(), "escape_dir");
  root_.symlink("sub/a.txt", "inside");
  root_.symlink("/etc/passwd", "absolute");
  EXPECT_EQ(open("escape"), FileStatus::forbidden);
  EXPECT_EQ(open("escape_dir/secret"), FileStatus::forbidden);
  EXPECT_EQ(open("absolute"), FileStatus::forbidden);
  EXPECT_EQ(open("inside"), FileStatus::ok);
}

TEST_P(FileStoreTest, upload_publishes_atomically_on_commit) {
  Upload u;
  ASSERT_EQ(store_.begin_upload("new", &u), FileStatus::ok);
  ASSERT_TRUE(u.write("hello "));
  ASSERT_TRUE(u.write("world"));
  EXPECT_FALSE(root_.exists("new"));
  ASSERT_TRUE(u.commit());
  EXPECT_EQ(root_.read("new"), "hello world");
  EXPECT_EQ(root_.list(), (std::vector<std::string>{"new", "sub", "top"}));
}

// RFC 9110 §13.1.2 If-None-Match: *: publishing under `taken` (which holds "old") is refused
// by the file system (EEXIST), that file keeps its bytes and no temporary is left; under the
// free name "fresh" the upload is published. `names`: the rest of the directory.
void expect_create_only(FileStore& store, const TempDir& root, const std::string& taken,
                        std::vector<std::string> names) {
  Upload refused;
  ASSERT_EQ(store.begin_upload(taken, &refused), FileStatus::ok);
  ASSERT_TRUE(refused.write("replacement"));
  errno = 0;
  EXPECT_FALSE(refused.commit(Upload::Publish::create_only));
  EXPECT_EQ(errno, EEXIST);
  EXPECT_FALSE(refused.active());
  EXPECT_EQ(root.read(taken), "old");
  names.push_back(taken);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(root.list(), names);
  Upload made;
  ASSERT_EQ(store.begin_upload("fresh", &made), FileStatus::ok);
  ASSERT_TRUE(made.write("new"));
  ASSERT_TRUE(made.commit(Upload::Publish::create_only));
  EXPECT_EQ(root.read("fresh"), "new");
  names.push_back("fresh");
  std::sort(names.begin(), names.end());
  EXPECT_EQ(root.list(), names);
}

TEST_P(FileStoreTest, create_only_publishes_only_where_the_name_is_free) {
  root_.write("top", "old");
  expect_create_only(store_, root_, "top", {"sub"});
}

TEST_P(FileStoreTest, upload_not_committed_leaves_nothing) {
  {
    Upload u;
    ASSERT_EQ(store_.begin_upload("gone", &u), FileStatus::ok);
    ASSERT_TRUE(u.write("partial"));
    // An O_TMPFILE upload has no name until it is committed (ext4, xfs, btrfs, tmpfs).
    EXPECT_EQ(root_.list().size(), store_.unnamed_uploads() ? 2u : 3u);
  }
  EXPECT_EQ(root_.list(), (std::vector<std::string>{"sub", "top"}));
}

TEST_P(FileStoreTest, upload_targets_are_single_safe_names) {
  Upload u;
  EXPECT_EQ(store_.begin_upload("sub/x", &u), FileStatus::forbidden);
  EXPECT_EQ(store_.begin_upload("..", &u), FileStatus::forbidden);
  EXPECT_EQ(store_.begin_upload("sub", &u), FileStatus::is_directory);
  root_.symlink(outside_.file("secret"), "link");
  EXPECT_EQ(store_.begin_upload("link", &u), FileStatus::forbidden);  // never write through
  EXPECT_EQ(outside_.read("secret"), "S");
}

TEST_P(FileStoreTest, absolute_symlink_is_refused_even_when_it_points_inside) {
  // Regression: openat2(RESOLVE_BENEATH) refuses every absolute symlink (403) while the
  // realpath() fallback served one that pointed inside the root (200). Both refuse now.
  root_.symlink(root_.file("top"), "abs_inside");
  root_.symlink(root_.file("sub"), "abs_dir");
  EXPECT_EQ(open("abs_inside"), FileStatus::forbidden);
  EXPECT_EQ(open("abs_dir/a.txt"), FileStatus::forbidden);
}

TEST_P(FileStoreTest, relative_symlinks_resolve_beneath_the_root_on_both_paths) {
  root_.symlink("../top", "sub/up");     // ".." inside a link, staying beneath: followed
  root_.symlink("sub", "dirlink");       // a directory link in the middle of a path
  root_.symlink("dirlink/up", "chain");  // links through links
  root_.symlink("../../x", "sub/out");   // climbs above the root
  root_.symlink("loop2", "loop1");
  root_.symlink("loop1", "loop2");
  root_.symlink("missing", "dangling");
  root_.symlink("top/", "file_slash");  // a trailing "/" asks for a directory
  root_.symlink("sub/", "dir_slash");
  root_.symlink("top/.", "file_dot");  // so does a "." after a name
  EXPECT_EQ(open("sub/up"), FileStatus::ok);
  EXPECT_EQ(open("file_slash"), FileStatus::not_found);  // ENOTDIR
  EXPECT_EQ(open("dir_slash"), FileStatus::ok);
  EXPECT_EQ(open("file_dot"), FileStatus::not_found);
  EXPECT_EQ(open("dir_slash/a.txt"), FileStatus::ok);
  EXPECT_EQ(open("top/"), FileStatus::not_found);
  EXPECT_EQ(open("dirlink/a.txt"), FileStatus::ok);
  EXPECT_EQ(open("dirlink/"), FileStatus::ok);
  EXPECT_EQ(open("chain"), FileStatus::ok);
  EXPECT_EQ(open("sub/out"), FileStatus::forbidden);
  EXPECT_EQ(open("loop1"), FileStatus::forbidden);
  EXPECT_EQ(open("dangling"), FileStatus::not_found);
  EXPECT_EQ(open("top/x"), FileStatus::not_found);
}

TEST_P(FileStoreTest, a_directory_swapped_for_a_symlink_mid_request_never_leads_out) {
  // Regression: the fallback resolved the path with realpath() and then opened the result
  // with O_NOFOLLOW on the last component only, so a directory swapped for a symlink to
  // outside between the two calls was followed. One thread swaps "d" (a directory) and "e"
  // (a symlink to outside) atomically, again and again, while this one opens "d/f".
  root_.mkdir("d");
  root_.write("d/f", "IN");
  outside_.write("f", "OUT");
  root_.symlink(outside_.path(), "e");
  std::atomic<bool> stop{false};
  std::thread swapper([&] {
    const std::string d = root_.file("d");
    const std::string e = root_.file("e");
    while (!stop.load()) ::renameat2(AT_FDCWD, d.c_str(), AT_FDCWD, e.c_str(), RENAME_EXCHANGE);
  });
  int inside = 0;
  int outside = 0;
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
  for (int i = 0; i < 200000 && std::chrono::steady_clock::now() < until; ++i) {
    OpenedFile f;
    if (store_.open_file("d/f", &f) != FileStatus::ok) continue;
    char buf[8] = {};
    const ssize_t n = ::pread(f.fd.get(), buf, sizeof buf, 0);
    if (std::string_view(buf, n > 0 ? static_cast<std::size_t>(n) : 0) == "OUT") {
      ++outside;
    } else {
      ++inside;
    }
  }
  stop.store(true);
  swapper.join();
  EXPECT_EQ(outside, 0);
  EXPECT_GT(inside, 0);
}

TEST(UploadName, one_rule_for_upload_and_multipart_names) {
  EXPECT_EQ(check_upload_name("a.txt"), NameProblem::none);
  EXPECT_EQ(check_upload_name("caf\xc3\xa9 menu"), NameProblem::none);  // UTF-8, a space
  EXPECT_EQ(check_upload_name(std::string(NAME_MAX, 'x')), NameProblem::none);
  EXPECT_EQ(check_upload_name(std::string(NAME_MAX + 1, 'x')), NameProblem::too_long);
  EXPECT_EQ(check_upload_name(""), NameProblem::empty);
  for (const std::string_view bad : {"a\r\nb", "\x01", "a\x7f", "a\tb", "\x1b[31m"}) {
    EXPECT_EQ(check_upload_name(bad), NameProblem::control_character) << bad;
  }
  EXPECT_EQ(check_upload_name(std::string_view("a\0b", 3)), NameProblem::control_character);
  EXPECT_EQ(check_upload_name("a/b"), NameProblem::separator);
  EXPECT_EQ(check_upload_name("a\\b"), NameProblem::separator);
  EXPECT_EQ(check_upload_name("."), NameProblem::dot_segment);
  EXPECT_EQ(check_upload_name(".."), NameProblem::dot_segment);
  EXPECT_EQ(check_upload_name(".httpfsm-upload-1-2"), NameProblem::reserved);
  // Every refusal has a one-line reason for the 400's body.
  for (const NameProblem p :
       {NameProblem::empty, NameProblem::too_long, NameProblem::control_character,
        NameProblem::separator, NameProblem::dot_segment, NameProblem::reserved}) {
    const std::string_view why = name_problem_reason(p);
    EXPECT_FALSE(why.empty());
    EXPECT_EQ(why.find('\n'), std::string_view::npos);
  }
  EXPECT_EQ(name_problem_reason(NameProblem::none), "");
}

TEST_P(FileStoreTest, upload_names_with_control_characters_are_refused) {
  // Regression: "a\r\nb" (from /files/a%0d%0ab) was created as a file name.
  Upload u;
  EXPECT_EQ(store_.begin_upload("a\r\nb", &u), FileStatus::bad_name);
  EXPECT_EQ(store_.begin_upload("a\x01", &u), FileStatus::bad_name);
  EXPECT_EQ(store_.begin_upload("a\x7f", &u), FileStatus::bad_name);
  EXPECT_FALSE(u.active());
  EXPECT_EQ(root_.list(), (std::vector<std::string>{"sub", "top"}));
}

TEST_P(FileStoreTest, upload_accepts_every_name_up_to_name_max) {
  // Regression: names of 228 to 255 bytes were refused (not_found, a 404), because the
  // temporary name's prefix was counted against NAME_MAX.
  for (const std::size_t length :
       {std::size_t{1}, std::size_t{200}, std::size_t{228}, std::size_t{NAME_MAX}}) {
    std::string name = std::to_string(length);
    name.resize(length, 'n');
    ASSERT_EQ(name.size(), length);
    Upload u;
    ASSERT_EQ(store_.begin_upload(name, &u), FileStatus::ok) << length;
    ASSERT_TRUE(u.write("long"));
    ASSERT_TRUE(u.commit());
    EXPECT_EQ(root_.read(name), "long");
  }
  Upload u;
  EXPECT_EQ(store_.begin_upload(std::string(NAME_MAX + 1, 'n'), &u), FileStatus::bad_name);
}

INSTANTIATE_TEST_SUITE_P(Resolution, FileStoreTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& i) {
                           return i.param ? "realpath_fallback" : "openat2";
                         });

// Where O_TMPFILE is unavailable, uploads use a named temporary; stale ones (a process that
// is gone) are removed when a store opens the directory.
class NamedTemporaryTest : public ::testing::Test {
 protected:
  FileStore open_store() {
    std::string error;
    FileStore s = FileStore::open(root_.path(), &error);
    EXPECT_TRUE(s.valid()) << error;
    s.force_named_temporary_for_testing();
    return s;
  }
  static void age(const std::string& path) {
    const timespec times[2] = {{::time(nullptr) - 3600, 0}, {::time(nullptr) - 3600, 0}};
    ::utimensat(AT_FDCWD, path.c_str(), times, 0);
  }
  TempDir root_;
};

TEST_F(NamedTemporaryTest, an_upload_in_progress_has_a_temporary_name_and_abort_removes_it) {
  FileStore store = open_store();
  {
    Upload u;
    ASSERT_EQ(store.begin_upload("x", &u), FileStatus::ok);
    ASSERT_TRUE(u.write("part"));
    const std::vector<std::string> names = root_.list();
    ASSERT_EQ(names.size(), 1u);
    EXPECT_EQ(names[0].rfind(std::string(kUploadPrefix) + std::to_string(::getpid()) + "-", 0), 0u);
  }
  EXPECT_TRUE(root_.list().empty());
  Upload u;
  ASSERT_EQ(store.begin_upload(std::string(NAME_MAX, 'z'), &u), FileStatus::ok);
  ASSERT_TRUE(u.write("whole"));
  ASSERT_TRUE(u.commit());
  EXPECT_EQ(root_.list(), (std::vector<std::string>{std::string(NAME_MAX, 'z')}));
}

TEST_F(NamedTemporaryTest, create_only_links_the_temporary_and_removes_its_name) {
  FileStore store = open_store();
  root_.write("taken", "old");
  expect_create_only(store, root_, "taken", {});
}

TEST_F(NamedTemporaryTest, stale_temporaries_are_removed_at_open_and_live_ones_kept) {
  // A process that has exited (and been reaped): its PID names no live process.
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ASSERT_GT(child, 0);
  ::waitpid(child, nullptr, 0);
  const std::string prefix(kUploadPrefix);
  const std::string dead = prefix + std::to_string(child) + "-3";
  const std::string ours_old = prefix + std::to_string(::getpid()) + "-9";  // an earlier us
  const std::string ours_new = prefix + std::to_string(::getpid()) + "-8";  // this process
  const std::string init = prefix + "1-4";                                  // PID 1 is alive
  for (const std::string& n :
       {dead, ours_old, ours_new, init, prefix + "notes", prefix + "12x-1", std::string("keep")}) {
    root_.write(n, "t");
  }
  age(root_.file(ours_old));
  open_store();
  std::vector<std::string> kept = {prefix + "12x-1", init, ours_new, prefix + "notes", "keep"};
  std::sort(kept.begin(), kept.end());
  EXPECT_EQ(root_.list(), kept);
}

}  // namespace
}  // namespace httpfsm::server
