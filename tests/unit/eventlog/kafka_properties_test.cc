#include "jobledger/eventlog/kafka_properties.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "jobledger/testing/temp_dir.h"

namespace jobledger::eventlog {
namespace {

using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

TEST(ParseKafkaProperty, SplitsAtTheFirstEqualsSign) {
  auto property = ParseKafkaProperty("sasl.jaas.config=a=b");
  ASSERT_TRUE(property.ok()) << property.status();
  EXPECT_EQ(property->first, "sasl.jaas.config");
  EXPECT_EQ(property->second, "a=b");
  EXPECT_EQ(ParseKafkaProperty(" client.rack =zone-a")->first, "client.rack");
  EXPECT_EQ(ParseKafkaProperty("ssl.key.password=")->second, "");
}

TEST(ParseKafkaProperty, TextWithoutAKeyIsRefusedQuotingIt) {
  for (const char* text : {"security.protocol", "=SASL_SSL", "", "  =x"}) {
    const absl::Status status = ParseKafkaProperty(text).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(status.message(), HasSubstr(absl::StrCat("\"", text, "\""))) << text;
  }
}

TEST(ReadKafkaPropertiesFile, ReadsPropertiesSkippingCommentsAndBlankLines) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/kafka.properties";
  std::ofstream(path) << "# the cluster's listener\n"
                         "security.protocol=SASL_SSL\n"
                         "\n"
                         "  sasl.mechanisms = SCRAM-SHA-512\n"
                         "sasl.password=p=ss#word\n";
  auto properties = ReadKafkaPropertiesFile(path);
  ASSERT_TRUE(properties.ok()) << properties.status();
  EXPECT_THAT(*properties, UnorderedElementsAre(Pair("security.protocol", "SASL_SSL"),
                                                Pair("sasl.mechanisms", "SCRAM-SHA-512"),
                                                Pair("sasl.password", "p=ss#word")));
}

TEST(ReadKafkaPropertiesFile, AMalformedLineIsRefusedNamingFileAndLine) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/kafka.properties";
  std::ofstream(path) << "security.protocol=SSL\nssl.ca.location\n";
  const absl::Status status = ReadKafkaPropertiesFile(path).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr(path + ":2: "));
  EXPECT_EQ(ReadKafkaPropertiesFile(dir.path() + "/missing").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace jobledger::eventlog
