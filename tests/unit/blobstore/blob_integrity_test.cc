// What the store refuses and how it fails: size and hash mismatches, the size limit, abandoned
// uploads, and content that went bad on disk.
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jobledger/blobstore/content_store.h"
#include "jobledger/testing/temp_dir.h"
#include "test_blobs.h"

namespace jobledger::blobstore {
namespace {

using ::jobledger::testing::TempDir;
using testing::Content;
using ::testing::HasSubstr;
using testing::HexSha256;
using ::testing::IsEmpty;
using testing::ListDir;
using testing::ReadAll;
using testing::Store;

constexpr char kSpace[] = "tenant-1";
constexpr int64_t kLimit = 1000;

class BlobIntegrityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<ContentStore>> store =
        ContentStore::Open({.directory = dir_.path(), .max_blob_bytes = kLimit});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  std::unique_ptr<BlobWriter> Writer(absl::string_view content) {
    absl::StatusOr<std::unique_ptr<BlobWriter>> writer = store_->NewWriter(kSpace);
    EXPECT_TRUE(writer.ok()) << writer.status();
    EXPECT_TRUE((*writer)->Append(content).ok());
    return *std::move(writer);
  }

  // Nothing of a refused upload is left: no blob, no temp file, not even a directory for it.
  void ExpectNothingKept(absl::string_view content) {
    EXPECT_EQ(store_->Contains(kSpace, HexSha256(content)).value_or(true), false);
    EXPECT_THAT(ListDir(dir_.Sub(kTempDirName)), IsEmpty());
    EXPECT_THAT(ListDir(dir_.Sub(kSpace)), IsEmpty());
  }

  std::string BlobPath(absl::string_view sha256) const {
    return dir_.Sub(absl::StrCat(kSpace, "/", sha256.substr(0, 2), "/", sha256.substr(2)));
  }

  TempDir dir_;
  std::unique_ptr<ContentStore> store_;
};

TEST_F(BlobIntegrityTest, RefusesASizeMismatch) {
  const std::string content = Content(500);
  for (const int64_t expected : {int64_t{499}, int64_t{501}, int64_t{0}, int64_t{-1}}) {
    SCOPED_TRACE(expected);
    const absl::Status status = Writer(content)->Finish(expected, "").status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(status.message(), HasSubstr("size mismatch"));
    ExpectNothingKept(content);
  }
}

TEST_F(BlobIntegrityTest, RefusesContentThatDoesNotMatchTheExpectedHash) {
  const std::string content = Content(500);
  const absl::Status status = Writer(content)->Finish(500, HexSha256("something else")).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(status.message(), HasSubstr(HexSha256(content)));
  ExpectNothingKept(content);
}

TEST_F(BlobIntegrityTest, RefusesAMalformedExpectedHash) {
  const std::string content = Content(10);
  const absl::Status status = Writer(content)->Finish(10, "../../etc/passwd").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  ExpectNothingKept(content);
}

TEST_F(BlobIntegrityTest, AcceptsTheCorrectExpectedHash) {
  const std::string content = Content(500);
  const absl::StatusOr<BlobInfo> info = Writer(content)->Finish(500, HexSha256(content));
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->sha256, HexSha256(content));
}

TEST_F(BlobIntegrityTest, AllowsExactlyTheLimit) {
  std::unique_ptr<BlobWriter> writer = Writer(Content(600));
  ASSERT_TRUE(writer->Append(Content(400, 2)).ok());
  EXPECT_TRUE(writer->Finish(kLimit, "").ok());
}

TEST_F(BlobIntegrityTest, RefusesMoreThanTheLimitAndKeepsNothing) {
  std::unique_ptr<BlobWriter> writer = Writer(Content(600));
  const absl::Status status = writer->Append(Content(401, 2));
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(status.message(), HasSubstr("1000"));
  EXPECT_THAT(ListDir(dir_.Sub(kTempDirName)), IsEmpty()) << "discarded at once";
  EXPECT_EQ(writer->Append("x").code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(writer->Finish(600, "").status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(BlobIntegrityTest, AWriterIsSpentAfterFinish) {
  std::unique_ptr<BlobWriter> writer = Writer("abc");
  ASSERT_TRUE(writer->Finish(3, "").ok());
  EXPECT_EQ(writer->Append("d").code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(writer->Finish(3, "").status().code(), absl::StatusCode::kFailedPrecondition);
  writer.reset();
  EXPECT_EQ(store_->Contains(kSpace, HexSha256("abc")).value_or(false), true)
      << "destroying a finished writer keeps its blob";
}

TEST_F(BlobIntegrityTest, AnAbandonedUploadLeavesNothing) {
  const std::string content = Content(700);
  std::unique_ptr<BlobWriter> writer = Writer(content);
  EXPECT_EQ(ListDir(dir_.Sub(kTempDirName)).size(), 1u) << "the upload is in a temp file";
  writer.reset();
  ExpectNothingKept(content);
}

TEST_F(BlobIntegrityTest, AFailedUploadDoesNotTouchAStoredCopy) {
  const std::string content = Content(800);
  ASSERT_TRUE(Store(*store_, kSpace, content).ok());
  EXPECT_FALSE(Writer(content)->Finish(801, "").ok());
  EXPECT_EQ(store_->Contains(kSpace, HexSha256(content)).value_or(false), true);
}

// Overwrites the blob file with `bytes` (it is read-only once published).
void Overwrite(const std::string& path, absl::string_view bytes) {
  std::filesystem::permissions(path, std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::add);
  const int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC);
  ASSERT_GE(fd, 0) << path;
  ASSERT_EQ(::write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  ::close(fd);
}

TEST_F(BlobIntegrityTest, AFlippedByteOnDiskIsDataLossAtTheEnd) {
  const std::string content = Content(900);
  const std::string hash = Store(*store_, kSpace, content)->sha256;
  std::string corrupted = content;
  corrupted[450] ^= 0x01;
  Overwrite(BlobPath(hash), corrupted);

  absl::StatusOr<std::unique_ptr<BlobReader>> reader = store_->OpenReader(kSpace, hash);
  ASSERT_TRUE(reader.ok()) << reader.status();
  std::string read;
  const absl::Status status = ReadAll(**reader, read, 100);
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(status.message(), HasSubstr(hash));
  EXPECT_EQ(read.size(), 900u) << "the bytes stream before the check at the end";
  EXPECT_EQ((*reader)->Read(100).status().code(), absl::StatusCode::kDataLoss) << "and stays";
}

TEST_F(BlobIntegrityTest, ATruncatedOrExtendedFileIsDataLoss) {
  const std::string content = Content(900);
  const std::string hash = Store(*store_, kSpace, content)->sha256;
  for (const std::string& bytes : {content.substr(0, 899), content + "x", std::string()}) {
    SCOPED_TRACE(bytes.size());
    Overwrite(BlobPath(hash), bytes);
    absl::StatusOr<std::unique_ptr<BlobReader>> reader = store_->OpenReader(kSpace, hash);
    ASSERT_TRUE(reader.ok()) << reader.status();
    std::string read;
    EXPECT_EQ(ReadAll(**reader, read, 4096).code(), absl::StatusCode::kDataLoss);
  }
}

TEST_F(BlobIntegrityTest, StoringAgainRepairsACorruptedCopy) {
  const std::string content = Content(900);
  const std::string hash = Store(*store_, kSpace, content)->sha256;
  Overwrite(BlobPath(hash), "garbage");
  ASSERT_TRUE(Store(*store_, kSpace, content).ok());
  absl::StatusOr<std::unique_ptr<BlobReader>> reader = store_->OpenReader(kSpace, hash);
  ASSERT_TRUE(reader.ok());
  std::string read;
  EXPECT_TRUE(ReadAll(**reader, read).ok());
  EXPECT_TRUE(read == content);
}

TEST_F(BlobIntegrityTest, ReadRefusesAZeroLimit) {
  const std::string hash = Store(*store_, kSpace, "abc")->sha256;
  absl::StatusOr<std::unique_ptr<BlobReader>> reader = store_->OpenReader(kSpace, hash);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->Read(0).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ((*reader)->Read(10).value_or(""), "abc");
}

}  // namespace
}  // namespace jobledger::blobstore
