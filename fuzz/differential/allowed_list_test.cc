// The allow-list exists twice: as reviewed prose (ALLOWED.md) and as the classifier's X-list.
// Each class in code must have its entry, and each entry its class.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <string>

#include "differential/divergence.hpp"

namespace httpfsm::fuzz {
namespace {

std::set<std::string> headings(const std::string& path) {
  std::ifstream in(path);
  std::set<std::string> out;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("### ", 0) == 0) out.insert(line.substr(4));
  }
  return out;
}

TEST(DifferentialAllowList, every_class_has_an_entry_in_allowed_md_and_every_entry_a_class) {
  const std::set<std::string> documented = headings(HTTPFSM_ALLOWED_MD);
  ASSERT_FALSE(documented.empty()) << "cannot read " << HTTPFSM_ALLOWED_MD;
  std::set<std::string> coded;
  for (std::string_view name : all_class_names()) coded.insert(std::string(name));
  EXPECT_EQ(coded, documented);
  // class_name() agrees with the list's order.
  const auto names = all_class_names();
  for (std::size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(class_name(static_cast<AllowedClass>(i)), names[i]);
  }
}

}  // namespace
}  // namespace httpfsm::fuzz
