#include "file_cache.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include <string>

#include "response.hpp"
#include "testing/test_site.hpp"

namespace httpfsm::server {
namespace {

using testing::TempDir;

class FileCacheTest : public ::testing::Test {
 protected:
  FileCacheTest() {
    root_.write("a.txt", "alpha");
    outside_.write("secret", "S");
    std::string error;
    store_ = FileStore::open(root_.path(), &error);
  }
  // The content as the cache gives it ("<open>" for a descriptor), or the status's name.
  std::string read(std::string_view path) {
    OpenedFile f;
    const FileStatus s = cache_.open(store_, path, &f);
    if (s != FileStatus::ok) return "status " + std::to_string(static_cast<int>(s));
    if (!f.in_memory()) return "<open>";
    return std::string(f.content);
  }
  // Gives `path` a modification time of its own, as a later write would.
  void touch(std::string_view path, long seconds) {
    const timespec times[2] = {{seconds, 0}, {seconds, 0}};
    ASSERT_EQ(::utimensat(AT_FDCWD, root_.file(path).c_str(), times, 0), 0);
  }
  TempDir root_;
  TempDir outside_;
  FileStore store_;
  FileCache cache_;
};

TEST_F(FileCacheTest, serves_a_small_file_from_memory_with_its_validators) {
  OpenedFile f;
  ASSERT_EQ(cache_.open(store_, "/a.txt", &f), FileStatus::ok);
  ASSERT_TRUE(f.in_memory());
  EXPECT_EQ(f.content, "alpha");
  EXPECT_EQ(f.size, 5u);
  ASSERT_NE(f.validators, nullptr);
  const FileValidators expected = FileValidators::of(5, f.mtime_seconds, f.mtime_nanoseconds);
  EXPECT_EQ(f.validators->etag(), expected.etag());
  EXPECT_EQ(f.validators->last_modified(), expected.last_modified());
  EXPECT_EQ(read("/a.txt"), "alpha");
  EXPECT_EQ(cache_.hits(), 1u);
}

TEST_F(FileCacheTest, within_a_turn_one_stat_serves_every_request) {
  cache_.begin_turn();
  EXPECT_EQ(read("a.txt"), "alpha");  // the fill
  for (int i = 0; i < 10; ++i) EXPECT_EQ(read("a.txt"), "alpha");
  EXPECT_EQ(cache_.stats(), 0u);
  cache_.begin_turn();
  for (int i = 0; i < 10; ++i) EXPECT_EQ(read("a.txt"), "alpha");
  EXPECT_EQ(cache_.stats(), 1u);  // once per turn
  EXPECT_EQ(cache_.hits(), 20u);
}

TEST_F(FileCacheTest, without_turns_every_lookup_stats) {
  for (int i = 0; i < 3; ++i) EXPECT_EQ(read("a.txt"), "alpha");
  EXPECT_EQ(cache_.stats(), 2u);
}

TEST_F(FileCacheTest, a_file_replaced_by_rename_is_seen_in_the_next_turn) {
  cache_.begin_turn();
  EXPECT_EQ(read("a.txt"), "alpha");
  root_.write("new", "bravo");
  ASSERT_EQ(::rename(root_.file("new").c_str(), root_.file("a.txt").c_str()), 0);
  cache_.begin_turn();
  EXPECT_EQ(read("a.txt"), "bravo");
}

TEST_F(FileCacheTest, a_file_rewritten_in_place_is_seen_by_its_times) {
  cache_.begin_turn();
  EXPECT_EQ(read("a.txt"), "alpha");
  root_.write("a.txt", "omega");  // same size, same inode
  touch("a.txt", 1'000'000'000);
  cache_.begin_turn();
  EXPECT_EQ(read("a.txt"), "omega");
  root_.write("a.txt", "longer now");  // a new size
  cache_.begin_turn();
  EXPECT_EQ(read("a.txt"), "longer now");
}

TEST_F(FileCacheTest, a_removed_file_is_not_found_in_the_next_turn) {
  cache_.begin_turn();
  EXPECT_EQ(read("a.txt"), "alpha");
  ASSERT_EQ(::unlink(root_.file("a.txt").c_str()), 0);
  cache_.begin_turn();
  EXPECT_EQ(read("a.txt"), "status " + std::to_string(static_cast<int>(FileStatus::not_found)));
}

TEST_F(FileCacheTest, a_cached_name_turned_into_a_symlink_out_of_the_root_is_refused) {
  cache_.begin_turn();
  EXPECT_EQ(read("a.txt"), "alpha");
  ASSERT_EQ(::unlink(root_.file("a.txt").c_str()), 0);
  root_.symlink(outside_.file("secret"), "a.txt");
  cache_.begin_turn();
  EXPECT_EQ(read("a.txt"), "status " + std::to_string(static_cast<int>(FileStatus::forbidden)));
}

TEST_F(FileCacheTest, large_files_and_directories_come_back_open) {
  root_.write("big", std::string(kInlineFileMax + 1, 'b'));
  root_.write("edge", std::string(kInlineFileMax, 'e'));
  root_.mkdir("dir");
  EXPECT_EQ(read("big"), "<open>");
  EXPECT_EQ(read("edge"), std::string(kInlineFileMax, 'e'));
  OpenedFile f;
  ASSERT_EQ(cache_.open(store_, "dir", &f), FileStatus::ok);
  EXPECT_TRUE(f.directory);
  EXPECT_FALSE(f.in_memory());
}

TEST_F(FileCacheTest, unsafe_paths_are_refused) {
  EXPECT_EQ(read("../x"), "status " + std::to_string(static_cast<int>(FileStatus::forbidden)));
  EXPECT_EQ(read(".httpfsm-upload-1"),
            "status " + std::to_string(static_cast<int>(FileStatus::forbidden)));
}

TEST_F(FileCacheTest, invalidate_forgets_everything) {
  cache_.begin_turn();
  EXPECT_EQ(read("a.txt"), "alpha");
  root_.write("a.txt", "delta");  // same size; the same second, maybe
  cache_.invalidate();
  EXPECT_EQ(read("a.txt"), "delta");
  EXPECT_EQ(cache_.hits(), 0u);
}

TEST_F(FileCacheTest, colliding_names_evict_each_other_and_stay_correct) {
  cache_.begin_turn();
  for (int i = 0; i < 200; ++i) root_.write("f" + std::to_string(i), std::to_string(i * 7));
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 200; ++i) EXPECT_EQ(read("f" + std::to_string(i)), std::to_string(i * 7));
  }
}

TEST_F(FileCacheTest, two_stores_with_the_same_name_are_kept_apart) {
  TempDir other;
  other.write("a.txt", "other");
  std::string error;
  const FileStore second = FileStore::open(other.path(), &error);
  OpenedFile f;
  ASSERT_EQ(cache_.open(second, "a.txt", &f), FileStatus::ok);
  EXPECT_EQ(f.content, "other");
  EXPECT_EQ(read("a.txt"), "alpha");
  ASSERT_EQ(cache_.open(second, "a.txt", &f), FileStatus::ok);
  EXPECT_EQ(f.content, "other");
}

}  // namespace
}  // namespace httpfsm::server
