// The topic's change counter: what the owner counts, its followers read through their own mapping.
#include "internal/commit_counter.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "jobledger/testing/temp_dir.h"

namespace jobledger::eventlog::internal {
namespace {

TEST(CommitCounter, AFollowerReadsWhatTheOwnerCounts) {
  testing::TempDir dir;
  EXPECT_EQ(CommitCounter::OpenForFollower(dir.path()).status().code(),
            absl::StatusCode::kNotFound);

  auto owner = CommitCounter::OpenForOwner(dir.path());
  ASSERT_TRUE(owner.ok()) << owner.status();
  auto follower = CommitCounter::OpenForFollower(dir.path());
  ASSERT_TRUE(follower.ok()) << follower.status();
  EXPECT_EQ((*follower)->Load(), 0u);
  (*owner)->Increment();
  (*owner)->Increment();
  EXPECT_EQ((*follower)->Load(), 2u);
  EXPECT_EQ((*owner)->Load(), 2u);
}

TEST(CommitCounter, ANewOwnerGoesOnFromTheCountThere) {
  testing::TempDir dir;
  auto follower = [&] {
    auto owner = CommitCounter::OpenForOwner(dir.path());
    EXPECT_TRUE(owner.ok());
    (*owner)->Increment();
    return CommitCounter::OpenForFollower(dir.path());
  }();
  ASSERT_TRUE(follower.ok()) << follower.status();
  auto owner = CommitCounter::OpenForOwner(dir.path());
  ASSERT_TRUE(owner.ok()) << owner.status();
  EXPECT_EQ((*owner)->Load(), 1u);
  (*owner)->Increment();
  // The follower's mapping, made under the first owner, sees the second one's count.
  EXPECT_EQ((*follower)->Load(), 2u);
}

TEST(CommitCounter, AnEmptyFileIsNotACounterYet) {
  testing::TempDir dir;
  { std::ofstream(std::filesystem::path(dir.path()) / CommitCounter::kFileName); }
  EXPECT_EQ(CommitCounter::OpenForFollower(dir.path()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(CommitCounter::OpenForFollower(dir.path() + "/missing").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace jobledger::eventlog::internal
