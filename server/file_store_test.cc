#include "file_store.hpp"

#include <gtest/gtest.h>

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

TEST_P(FileStoreTest, upload_not_committed_leaves_nothing) {
  {
    Upload u;
    ASSERT_EQ(store_.begin_upload("gone", &u), FileStatus::ok);
    ASSERT_TRUE(u.write("partial"));
    EXPECT_EQ(root_.list().size(), 3u);  // the temporary
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

INSTANTIATE_TEST_SUITE_P(Resolution, FileStoreTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& i) {
                           return i.param ? "realpath_fallback" : "openat2";
                         });

}  // namespace
}  // namespace httpfsm::server
