// ContentStore: round trips, hashing, deduplication, concurrency, names, crash cleanup.
#include "jobledger/blobstore/content_store.h"

#include <sys/stat.h>

#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jobledger/testing/temp_dir.h"
#include "test_blobs.h"

namespace jobledger::blobstore {
namespace {

using ::jobledger::testing::TempDir;
using testing::Content;
using ::testing::ElementsAre;
using testing::HexSha256;
using ::testing::IsEmpty;
using testing::ListDir;
using testing::ReadAll;
using testing::Store;

constexpr char kSpace[] = "tenant-1";

class ContentStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<ContentStore>> store =
        ContentStore::Open({.directory = dir_.Sub("blobs")});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  std::string TempFiles() const {
    return absl::StrJoin(ListDir(dir_.Sub(absl::StrCat("blobs/", kTempDirName))), ",");
  }

  TempDir dir_;
  std::unique_ptr<ContentStore> store_;
};

class RoundTrip : public ContentStoreTest, public ::testing::WithParamInterface<size_t> {};

TEST_P(RoundTrip, ReadsBackExactlyWhatWasWritten) {
  const std::string content = Content(GetParam());
  absl::StatusOr<BlobInfo> info = Store(*store_, kSpace, content, 100'003);
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->sha256, HexSha256(content));
  EXPECT_EQ(info->size_bytes, static_cast<int64_t>(content.size()));

  absl::StatusOr<std::unique_ptr<BlobReader>> reader = store_->OpenReader(kSpace, info->sha256);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->size_bytes(), static_cast<int64_t>(content.size()));
  std::string read;
  ASSERT_TRUE(ReadAll(**reader, read, 65'536).ok());
  EXPECT_TRUE(read == content) << "read " << read.size() << " bytes of " << content.size();
  EXPECT_EQ((*reader)->Read(1).value_or("error"), "") << "the end stays the end";
  EXPECT_EQ(TempFiles(), "");
}

INSTANTIATE_TEST_SUITE_P(Sizes, RoundTrip,
                         ::testing::Values(0, 1, 65'535, 65'536, 1'000'000, 5 * 1024 * 1024 + 7));

TEST_F(ContentStoreTest, HashesMatchKnownVectors) {
  EXPECT_EQ(Store(*store_, kSpace, "")->sha256,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Store(*store_, kSpace, "abc")->sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(ContentStoreTest, LaysBlobsOutBySpaceAndHashPrefix) {
  const absl::StatusOr<BlobInfo> info = Store(*store_, kSpace, "abc");
  ASSERT_TRUE(info.ok()) << info.status();
  const std::string path =
      dir_.Sub("blobs/tenant-1/ba/7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  struct stat file;
  ASSERT_EQ(::stat(path.c_str(), &file), 0) << path;
  EXPECT_EQ(file.st_mode & 0777, 0444u) << "published blobs are read-only";
}

TEST_F(ContentStoreTest, AcceptsTheExpectedHashInEitherCase) {
  const std::string content = Content(1000);
  absl::StatusOr<std::unique_ptr<BlobWriter>> writer = store_->NewWriter(kSpace);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Append(content).ok());
  const absl::StatusOr<BlobInfo> info =
      (*writer)->Finish(1000, absl::AsciiStrToUpper(HexSha256(content)));
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->sha256, HexSha256(content)) << "always reported lower-case";
}

TEST_F(ContentStoreTest, StoringTheSameContentTwiceKeepsOneBlob) {
  const std::string content = Content(300'000);
  const absl::StatusOr<BlobInfo> first = Store(*store_, kSpace, content);
  const absl::StatusOr<BlobInfo> second = Store(*store_, kSpace, content, 7'777);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, *second);
  const std::string hash = HexSha256(content);
  EXPECT_THAT(ListDir(dir_.Sub(absl::StrCat("blobs/tenant-1/", hash.substr(0, 2)))),
              ElementsAre(hash.substr(2)));
  EXPECT_EQ(TempFiles(), "");
}

TEST_F(ContentStoreTest, ConcurrentUploadsOfTheSameContentAllSucceed) {
  const std::string content = Content(1 << 20, 7);
  constexpr int kWriters = 8;
  std::vector<absl::StatusOr<BlobInfo>> results(kWriters, absl::UnknownError("not run"));
  std::vector<std::thread> threads;
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] { results[i] = Store(*store_, kSpace, content, 10'000 + i); });
  }
  for (std::thread& thread : threads) thread.join();
  for (const absl::StatusOr<BlobInfo>& result : results) {
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(result->sha256, HexSha256(content));
  }
  absl::StatusOr<std::unique_ptr<BlobReader>> reader =
      store_->OpenReader(kSpace, HexSha256(content));
  ASSERT_TRUE(reader.ok()) << reader.status();
  std::string read;
  ASSERT_TRUE(ReadAll(**reader, read).ok());
  EXPECT_TRUE(read == content);
  EXPECT_EQ(TempFiles(), "");
}

TEST_F(ContentStoreTest, ConcurrentUploadsOfDifferentContentAllSucceed) {
  constexpr int kWriters = 6;
  std::vector<absl::StatusOr<BlobInfo>> results(kWriters, absl::UnknownError("not run"));
  std::vector<std::thread> threads;
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      results[i] = Store(*store_, absl::StrCat("t", i % 2), Content(200'000, 100 + i), 4096);
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int i = 0; i < kWriters; ++i) {
    ASSERT_TRUE(results[i].ok()) << results[i].status();
    EXPECT_EQ(results[i]->sha256, HexSha256(Content(200'000, 100 + i)));
    EXPECT_EQ(store_->Contains(absl::StrCat("t", i % 2), results[i]->sha256).value_or(false), true);
  }
}

TEST_F(ContentStoreTest, ContainsAndReadersSeeOnlyTheirSpace) {
  const absl::StatusOr<BlobInfo> info = Store(*store_, "tenant-a", "photo");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(store_->Contains("tenant-a", info->sha256).value_or(false), true);
  EXPECT_EQ(store_->Contains("tenant-b", info->sha256).value_or(true), false);
  EXPECT_EQ(store_->Contains("tenant-a", HexSha256("other")).value_or(true), false);
  EXPECT_EQ(store_->OpenReader("tenant-b", info->sha256).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->OpenReader("tenant-a", HexSha256("other")).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ContentStoreTest, LooksUpHashesInEitherCase) {
  const absl::StatusOr<BlobInfo> info = Store(*store_, kSpace, "signature");
  ASSERT_TRUE(info.ok());
  const std::string upper = absl::AsciiStrToUpper(info->sha256);
  EXPECT_EQ(store_->Contains(kSpace, upper).value_or(false), true);
  absl::StatusOr<std::unique_ptr<BlobReader>> reader = store_->OpenReader(kSpace, upper);
  ASSERT_TRUE(reader.ok()) << reader.status();
  std::string read;
  EXPECT_TRUE(ReadAll(**reader, read).ok());
  EXPECT_EQ(read, "signature");
}

TEST_F(ContentStoreTest, RefusesBadSpaces) {
  const std::string hash = HexSha256("x");
  for (const std::string& space :
       {std::string(""), std::string("."), std::string(".."), std::string("../x"),
        std::string("a/b"), std::string("/abs"), std::string("tenant 1"), std::string(65, 'a'),
        std::string(kTempDirName), std::string("t\xc3\xbc"), std::string("a\0b", 3)}) {
    SCOPED_TRACE(absl::StrCat("space \"", absl::CEscape(space), "\""));
    EXPECT_EQ(store_->NewWriter(space).status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(store_->OpenReader(space, hash).status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(store_->Contains(space, hash).status().code(), absl::StatusCode::kInvalidArgument);
  }
}

TEST_F(ContentStoreTest, AcceptsEveryAllowedSpaceCharacter) {
  for (const std::string& space : {std::string("a"), std::string("Tenant_1.eu-west"),
                                   std::string("..."), std::string("tmp"), std::string(64, 'z')}) {
    SCOPED_TRACE(space);
    const absl::StatusOr<BlobInfo> info = Store(*store_, space, space);
    ASSERT_TRUE(info.ok()) << info.status();
    EXPECT_EQ(store_->Contains(space, info->sha256).value_or(false), true);
  }
}

TEST_F(ContentStoreTest, RefusesBadHashes) {
  const std::string hash = HexSha256("x");
  for (const std::string& sha256 :
       {std::string(""), hash.substr(1), hash + "0", absl::StrCat("../", hash.substr(3)),
        absl::StrCat(hash.substr(0, 2), "/", hash.substr(3)), absl::StrCat("g", hash.substr(1)),
        std::string(64, ' ')}) {
    SCOPED_TRACE(sha256);
    EXPECT_EQ(store_->OpenReader(kSpace, sha256).status().code(),
              absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(store_->Contains(kSpace, sha256).status().code(), absl::StatusCode::kInvalidArgument);
  }
}

TEST(ContentStoreOpen, RemovesUploadsLeftByACrash) {
  TempDir dir;
  const std::string root = dir.Sub("blobs");
  std::string hash;
  {
    absl::StatusOr<std::unique_ptr<ContentStore>> store = ContentStore::Open({.directory = root});
    ASSERT_TRUE(store.ok()) << store.status();
    const absl::StatusOr<BlobInfo> info = Store(**store, kSpace, "kept");
    ASSERT_TRUE(info.ok());
    hash = info->sha256;
  }
  const std::string temp_dir = absl::StrCat(root, "/", kTempDirName);
  std::ofstream(temp_dir + "/upload-a1b2c3") << "half an upload";
  std::ofstream(temp_dir + "/upload-zzzzzz");
  ASSERT_EQ(ListDir(temp_dir).size(), 2u);

  absl::StatusOr<std::unique_ptr<ContentStore>> store = ContentStore::Open({.directory = root});
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_THAT(ListDir(temp_dir), IsEmpty());
  EXPECT_EQ((*store)->Contains(kSpace, hash).value_or(false), true);
}

TEST(ContentStoreOpen, CreatesNestedDirectories) {
  TempDir dir;
  absl::StatusOr<std::unique_ptr<ContentStore>> store =
      ContentStore::Open({.directory = dir.Sub("a/b/c/")});
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_THAT(ListDir(dir.Sub("a/b/c")), ElementsAre(kTempDirName));
  EXPECT_TRUE(Store(**store, kSpace, "x").ok());
}

TEST(ContentStoreOpen, RefusesBadOptions) {
  TempDir dir;
  EXPECT_EQ(ContentStore::Open({.directory = ""}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ContentStore::Open({.directory = dir.path(), .max_blob_bytes = -1}).status().code(),
            absl::StatusCode::kInvalidArgument);
  std::ofstream(dir.Sub("file")) << "not a directory";
  const absl::Status status = ContentStore::Open({.directory = dir.Sub("file")}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(status.message(), ::testing::HasSubstr(dir.Sub("file")));
}

}  // namespace
}  // namespace jobledger::blobstore
