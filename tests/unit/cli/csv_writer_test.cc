// CSV rows as RFC 4180 has them, written to a real stream.
#include "csv_writer.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

namespace jobledger::cli {
namespace {

// The text `rows` become through a CsvWriter on a real FILE.
std::string Written(const std::vector<std::vector<std::string>>& rows) {
  std::FILE* file = std::tmpfile();
  EXPECT_NE(file, nullptr);
  CsvWriter writer(file);
  for (const auto& row : rows) writer.WriteRow(row);
  EXPECT_TRUE(writer.ok());
  std::string text(static_cast<size_t>(std::ftell(file)), '\0');
  std::rewind(file);
  EXPECT_EQ(std::fread(text.data(), 1, text.size(), file), text.size());
  std::fclose(file);
  return text;
}

TEST(CsvWriterTest, PlainFieldsAreNotQuotedAndRowsEndWithCrLf) {
  EXPECT_EQ(Written({{"topic", "offset"}, {"jobledger.job.events", "17"}}),
            "topic,offset\r\njobledger.job.events,17\r\n");
}

TEST(CsvWriterTest, AFieldWithACommaIsQuoted) {
  EXPECT_EQ(Written({{"Smith, John", "x"}}), "\"Smith, John\",x\r\n");
}

TEST(CsvWriterTest, QuotesAreDoubledInsideAQuotedField) {
  EXPECT_EQ(Written({{R"(the "big" job)"}}), "\"the \"\"big\"\" job\"\r\n");
  EXPECT_EQ(Written({{R"({"title":"a"})"}}), "\"{\"\"title\"\":\"\"a\"\"}\"\r\n");
}

TEST(CsvWriterTest, LineBreaksStayInsideTheQuotedField) {
  EXPECT_EQ(Written({{"line 1\nline 2", "b"}}), "\"line 1\nline 2\",b\r\n");
  EXPECT_EQ(Written({{"line 1\r\nline 2"}}), "\"line 1\r\nline 2\"\r\n");
}

TEST(CsvWriterTest, LeadingAndTrailingSpacesAreQuotedSoNoReaderTrimsThem) {
  EXPECT_EQ(Written({{" leading", "trailing ", "in side"}}),
            "\" leading\",\"trailing \",in side\r\n");
}

TEST(CsvWriterTest, UnicodePassesThroughUntouched) {
  EXPECT_EQ(Written({{"Zoë's café ☕", "東京"}}), "Zoë's café ☕,東京\r\n");
}

TEST(CsvWriterTest, EmptyFieldsAreEmpty) { EXPECT_EQ(Written({{"", "b", ""}}), ",b,\r\n"); }

}  // namespace
}  // namespace jobledger::cli
