// CSV quoting as RFC 4180 has it.
#include "jobledger/common/csv.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace jobledger {
namespace {

std::string Row(const std::vector<std::string>& fields) {
  std::string out;
  AppendCsvRow(out, fields);
  return out;
}

TEST(CsvTest, PlainFieldsAreLeftAsTheyAre) {
  EXPECT_EQ(Row({"JOB-1", "Water heater", "120.50"}), "JOB-1,Water heater,120.50\r\n");
}

TEST(CsvTest, CommasQuotesAndLineBreaksAreQuotedWithQuotesDoubled) {
  EXPECT_EQ(Row({"a,b"}), "\"a,b\"\r\n");
  EXPECT_EQ(Row({"say \"hi\""}), "\"say \"\"hi\"\"\"\r\n");
  EXPECT_EQ(Row({"line1\nline2"}), "\"line1\nline2\"\r\n");
  EXPECT_EQ(Row({"cr\r"}), "\"cr\r\"\r\n");
}

TEST(CsvTest, LeadingOrTrailingSpacesAreQuotedSoNoReaderTrimsThem) {
  EXPECT_EQ(Row({" padded", "end "}), "\" padded\",\"end \"\r\n");
}

TEST(CsvTest, EmptyFieldsAndUnicodePassThrough) {
  EXPECT_EQ(Row({"", "Jos\xc3\xa9 \xe2\x82\xac", ""}), ",Jos\xc3\xa9 \xe2\x82\xac,\r\n");
  EXPECT_EQ(Row({}), "\r\n");
}

}  // namespace
}  // namespace jobledger
