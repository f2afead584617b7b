#include "buffer.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "output_queue.hpp"
#include "testing/test_site.hpp"

namespace httpfsm::server {
namespace {

TEST(ByteBuffer, grows_only_when_needed_and_compacts_first) {
  BufferPool pool;
  ByteBuffer b(&pool);
  EXPECT_EQ(b.capacity(), 0u);  // nothing held until used
  b.append("hello");
  EXPECT_EQ(b.capacity(), BufferPool::kBlockSize);
  b.consume(5);
  EXPECT_TRUE(b.empty());
  b.append(std::string(4000, 'a'));
  b.consume(3000);
  b.space(2000);  // fits once the consumed front is reclaimed
  EXPECT_EQ(b.capacity(), BufferPool::kBlockSize);
  EXPECT_EQ(b.view(), std::string(1000, 'a'));
  b.space(10000);
  EXPECT_EQ(b.capacity(), 16384u);
  EXPECT_EQ(b.view(), std::string(1000, 'a'));
}

TEST(ByteBuffer, erase_cuts_from_the_middle) {
  ByteBuffer b;
  b.append("HEADbodybodyNEXT");
  b.erase(4, 8);
  EXPECT_EQ(b.view(), "HEADNEXT");
}

TEST(ByteBuffer, release_returns_standard_blocks_to_the_pool) {
  BufferPool pool;
  {
    ByteBuffer b(&pool);
    b.append("x");
    b.release();
    EXPECT_EQ(pool.pooled(), 1u);
    b.append("y");  // taken back from the pool
    EXPECT_EQ(pool.pooled(), 0u);
  }
  EXPECT_EQ(pool.pooled(), 1u);
}

TEST(OutputQueue, file_ranges_keep_their_place_in_the_stream) {
  testing::TempDir dir;
  dir.write("f", "FILEDATA");
  OutputQueue q;
  q.append("head1|");
  q.append_file(FileHandle(::open(dir.file("f").c_str(), O_RDONLY)), 2, 4);
  q.append("|head2");
  EXPECT_EQ(std::string(q.next_bytes().data(), q.next_bytes().size()), "head1|");
  EXPECT_TRUE(q.file_follows());
  q.consume_bytes(6);
  ASSERT_NE(q.next_file(), nullptr);
  EXPECT_TRUE(q.next_bytes().empty());
  EXPECT_EQ(testing::drain(q), "LEDA|head2");
  EXPECT_TRUE(q.empty());
}

}  // namespace
}  // namespace httpfsm::server
