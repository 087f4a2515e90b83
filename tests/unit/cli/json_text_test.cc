// JSON strings that any JSON reader takes back, whatever bytes a record holds.
#include "json_text.h"

#include <gtest/gtest.h>

#include <string>

#include "nlohmann/json.hpp"

namespace jobledger::cli {
namespace {

std::string Quoted(absl::string_view text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

TEST(JsonTextTest, QuotesBackslashesAndControlCharactersAreEscaped) {
  EXPECT_EQ(Quoted(""), R"("")");
  EXPECT_EQ(Quoted(R"(say "hi" \o/)"), R"("say \"hi\" \\o/")");
  EXPECT_EQ(Quoted("a\nb\r\tc"), R"("a\nb\r\tc")");
  EXPECT_EQ(Quoted(std::string("\x01\x1f", 2)), R"("\u0001\u001f")");
  EXPECT_EQ(Quoted(std::string("nul\0here", 8)), R"("nul\u0000here")");
}

TEST(JsonTextTest, Utf8PassesThrough) {
  const std::string text = "Zoë's café ☕ 東京 🚰";
  EXPECT_EQ(Quoted(text), "\"" + text + "\"");
  EXPECT_EQ(nlohmann::json::parse(Quoted(text)), text);
}

TEST(JsonTextTest, BytesThatAreNotUtf8BecomeReplacementCharacters) {
  EXPECT_EQ(Quoted("a\xff"
                   "b"),
            R"("a\ufffdb")");
  EXPECT_EQ(Quoted("\xc3"), R"("\ufffd")") << "a sequence cut short";
  EXPECT_EQ(Quoted("\xc0\xaf"), R"("\ufffd\ufffd")") << "an overlong form";
  EXPECT_EQ(Quoted("\xed\xa0\x80"), R"("\ufffd\ufffd\ufffd")") << "a surrogate";
  EXPECT_EQ(Quoted("\xf4\x90\x80\x80"), R"("\ufffd\ufffd\ufffd\ufffd")") << "above U+10FFFF";
  EXPECT_EQ(nlohmann::json::parse(Quoted("\xfe\x80 ok \xe2\x82")), "\ufffd\ufffd ok \ufffd\ufffd");
}

}  // namespace
}  // namespace jobledger::cli
