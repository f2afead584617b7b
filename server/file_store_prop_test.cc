// FileStore's two resolution paths give the same answers (file_store.hpp): on a random tree
// of directories, files and symlinks (relative ones through "." and "..", absolute ones into
// the root and out of it, loops, dangling ones, targets ending in "/"), every random request
// path opens the same file (same device and inode) or fails with the same status through
// openat2(RESOLVE_BENEATH) and through the component walk that replaces it where openat2 is
// missing. Regression: the realpath() fallback served absolute links inside the root (403
// with openat2) and answered 404 where openat2 answered 403.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "file_store.hpp"
#include "testing/test_site.hpp"

namespace httpfsm::server {
namespace {

using testing::TempDir;

const std::vector<std::string> kNames = {"a",  "b",  "c",  "f",  "g",
                                         "l0", "l1", "l2", "l3", "missing"};
const std::vector<std::string> kDirs = {"", "a/", "a/b/", "c/"};

std::string gen_relative(bool dots) {
  // Short paths mostly: they are the ones that meet the tree's few names and links.
  const std::size_t count =
      *rc::gen::weightedOneOf<std::size_t>({{4, rc::gen::just<std::size_t>(1)},
                                            {3, rc::gen::just<std::size_t>(2)},
                                            {1, rc::gen::inRange<std::size_t>(3, 5)}});
  std::string p;
  for (std::size_t i = 0; i < count; ++i) {
    if (!p.empty()) p += '/';
    p += dots ? *rc::gen::weightedOneOf<std::string>({{4, rc::gen::elementOf(kNames)},
                                                      {2, rc::gen::just(std::string(".."))},
                                                      {1, rc::gen::just(std::string("."))}})
              : *rc::gen::elementOf(kNames);
  }
  if (*rc::gen::inRange(0, 4) == 0) p += '/';
  return p;
}

struct Outcome {
  FileStatus status = FileStatus::error;
  dev_t device = 0;
  ino_t inode = 0;
  bool directory = false;
};

Outcome open_through(const FileStore& store, const std::string& path) {
  Outcome o;
  OpenedFile f;
  o.status = store.open_file(path, &f);
  if (o.status == FileStatus::ok) {
    struct stat st {};
    RC_ASSERT(::fstat(f.fd.get(), &st) == 0);
    o.device = st.st_dev;
    o.inode = st.st_ino;
    o.directory = f.directory;
  }
  return o;
}

RC_GTEST_PROP(FileStoreProperty, the_component_walk_answers_as_openat2_does, ()) {
  TempDir root;
  TempDir outside;
  outside.write("o", "O");
  root.mkdir("a");
  root.mkdir("a/b");
  root.mkdir("c");
  root.write("f", "F");
  root.write("a/g", "G");
  root.write("a/b/f", "F2");
  const std::size_t links = *rc::gen::inRange<std::size_t>(0, 7);
  for (std::size_t i = 0; i < links; ++i) {
    const std::string where = *rc::gen::elementOf(kDirs) + "l" + std::to_string(i % 4);
    std::string target;
    switch (*rc::gen::inRange(0, 6)) {
      case 0:
        target = root.path() + "/" + gen_relative(false);  // absolute, inside
        break;
      case 1:
        target = outside.path() + "/o";  // absolute, outside
        break;
      default:
        target = gen_relative(true);
        break;
    }
    RC_LOG() << where << " -> " << target << "\n";
    try {
      root.symlink(target, where);
    } catch (const std::exception&) {
      // The name exists already (or its directory is a link): keep the tree as it is.
    }
  }
  std::string error;
  const FileStore kernel = FileStore::open(root.path(), &error);
  FileStore walk = FileStore::open(root.path(), &error);
  RC_ASSERT(kernel.valid() && walk.valid());
  walk.force_fallback_for_testing();
  for (int i = 0; i < 8; ++i) {
    const std::string path = gen_relative(false);
    const Outcome a = open_through(kernel, path);
    const Outcome b = open_through(walk, path);
    RC_LOG() << path << ": openat2 " << static_cast<int>(a.status) << ", walk "
             << static_cast<int>(b.status) << "\n";
    RC_ASSERT(a.status == b.status);
    RC_ASSERT(a.device == b.device);
    RC_ASSERT(a.inode == b.inode);
    RC_ASSERT(a.directory == b.directory);
  }
}

}  // namespace
}  // namespace httpfsm::server
