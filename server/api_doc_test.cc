// Keeps the server's documentation from drifting away from its code: docs/API.md mentions
// every public server header, and the README's "Embedding the server" program is, byte for
// byte, the consumer that tests/consumers builds against the installed package and queries.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::filesystem::path kSource = HTTPFSM_SOURCE_DIR;

TEST(ServerApiDoc, mentions_every_public_server_header) {
  const std::string doc = read_file(kSource / "docs/API.md");
  ASSERT_FALSE(doc.empty());
  std::size_t headers = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(kSource / "server/include")) {
    if (!entry.is_regular_file()) continue;
    const std::string name =
        std::filesystem::relative(entry.path(), kSource / "server/include").generic_string();
    ++headers;
    EXPECT_NE(doc.find("`" + name + "`"), std::string::npos) << name << " is not in docs/API.md";
  }
  EXPECT_GE(headers, 9u);
}

TEST(ServerApiDoc, the_readme_embedding_example_is_the_tested_consumer) {
  const std::string readme = read_file(kSource / "README.md");
  const std::size_t section = readme.find("## Embedding the server");
  ASSERT_NE(section, std::string::npos);
  const std::string open = "```cpp\n";
  const std::size_t begin = readme.find(open, section);
  ASSERT_NE(begin, std::string::npos);
  const std::size_t end = readme.find("```\n", begin + open.size());
  ASSERT_NE(end, std::string::npos);
  EXPECT_EQ(readme.substr(begin + open.size(), end - begin - open.size()),
            read_file(kSource / "tests/consumers/common/consumer_server.cc"));
}

}  // namespace
