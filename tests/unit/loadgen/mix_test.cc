// Parsing a command mix and drawing operations in proportion to their weights.
#include "jobledger/loadgen/mix.h"

#include <gtest/gtest.h>

#include <map>

namespace jobledger::loadgen {
namespace {

TEST(CommandMixTest, ParsesNamesAndWeights) {
  auto mix = CommandMix::Parse("create=2, status=3,note=1,line=1,time=1,get=2,list=0");
  ASSERT_TRUE(mix.ok()) << mix.status();
  EXPECT_EQ(mix->ToString(), "create=2,status=3,note=1,line=1,time=1,get=2");
  EXPECT_EQ(mix->weights().size(), 6u);
}

TEST(CommandMixTest, DrawsInProportion) {
  auto mix = CommandMix::Parse("create=1,status=3");
  ASSERT_TRUE(mix.ok());
  std::map<Operation, int> counts;
  for (int i = 0; i < 4000; ++i) ++counts[mix->Pick((i + 0.5) / 4000.0)];
  EXPECT_EQ(counts[Operation::kCreate], 1000);
  EXPECT_EQ(counts[Operation::kStatus], 3000);
  EXPECT_EQ(mix->Pick(0.0), Operation::kCreate);
  EXPECT_EQ(mix->Pick(0.9999999), Operation::kStatus);
}

TEST(CommandMixTest, RefusesWhatIsNotAMix) {
  for (const char* bad : {"", "create", "create=x", "create=-1", "create=1,create=2", "fly=1",
                          "create=0,status=0", "create=1=2"}) {
    auto mix = CommandMix::Parse(bad);
    EXPECT_FALSE(mix.ok()) << bad;
    EXPECT_EQ(mix.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(CommandMixTest, ErrorsNameTheBadPart) {
  EXPECT_NE(CommandMix::Parse("create=1,fly=2").status().message().find("fly"),
            absl::string_view::npos);
}

}  // namespace
}  // namespace jobledger::loadgen
