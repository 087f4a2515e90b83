// JSON log lines: format, levels, trace ids, thread safety.
#include "jobledger/server/log.h"

#include <thread>
#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace jobledger::server {
namespace {

TEST(FormatLogLine, WritesOneJsonObjectWithFixedKeysFirst) {
  const std::string line = FormatLogLine(
      absl::FromUnixMicros(1'767'225'600'123'456), Level::kWarning, "job", "job created",
      "4bf92f3577b34da6a3ce929d0e0e4736",
      {{"job_id", "j-1"}, {"count", 3}, {"ratio", 0.5}, {"ok", true}, {"size", size_t{7}}});
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  EXPECT_EQ(line, R"({"time":"2026-01-01T00:00:00.123456Z","level":"warning","msg":"job created",)"
                  R"("service":"job","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","job_id":"j-1",)"
                  R"("count":3,"ratio":0.5,"ok":true,"size":7})"
                  "\n");
}

TEST(FormatLogLine, EscapesTextAndSurvivesInvalidUtf8) {
  const std::string line =
      FormatLogLine(absl::UnixEpoch(), Level::kInfo, "svc", "quote \" newline \n bad \xff end", "",
                    {{"msg", "shadow"}, {"trace_id", "ignored"}});
  const nlohmann::json parsed = nlohmann::json::parse(line);
  EXPECT_THAT(parsed["msg"].get<std::string>(), ::testing::HasSubstr("quote \" newline \n bad"));
  EXPECT_FALSE(parsed.contains("trace_id"));  // empty trace id: left out
  EXPECT_EQ(parsed["_msg"], "shadow");        // a field cannot overwrite a fixed key
}

TEST(ParseLevel, KnowsTheLevelNames) {
  EXPECT_EQ(ParseLevel("debug"), Level::kDebug);
  EXPECT_EQ(ParseLevel("info"), Level::kInfo);
  EXPECT_EQ(ParseLevel("warn"), Level::kWarning);
  EXPECT_EQ(ParseLevel("warning"), Level::kWarning);
  EXPECT_EQ(ParseLevel("error"), Level::kError);
  EXPECT_EQ(ParseLevel("verbose"), std::nullopt);
  EXPECT_EQ(ParseLevel("INFO"), std::nullopt);
}

struct Captured {
  absl::Mutex mu;
  std::vector<std::string> lines;
  Logger::Sink Sink() {
    return [this](absl::string_view line) {
      absl::MutexLock lock(&mu);
      lines.emplace_back(line);
    };
  }
};

TEST(Logger, FiltersByLevelAndTakesTheTraceIdFromScope) {
  Captured captured;
  Logger logger("billing", Level::kInfo, captured.Sink());
  logger.Log(Level::kDebug, "hidden");
  {
    ScopedLogTrace trace("aaaabbbbccccddddeeeeffff00001111");
    logger.Log(Level::kInfo, "in a call", {{"event_id", "e-1"}});
  }
  logger.Log(Level::kError, "explicit", {{"trace_id", "0123"}});
  logger.set_level(Level::kDebug);
  logger.Log(Level::kDebug, "shown");
  ASSERT_EQ(captured.lines.size(), 3u);
  const nlohmann::json first = nlohmann::json::parse(captured.lines[0]);
  EXPECT_EQ(first["service"], "billing");
  EXPECT_EQ(first["trace_id"], "aaaabbbbccccddddeeeeffff00001111");
  EXPECT_EQ(first["event_id"], "e-1");
  EXPECT_EQ(nlohmann::json::parse(captured.lines[1])["trace_id"], "0123");
  EXPECT_FALSE(nlohmann::json::parse(captured.lines[2]).contains("trace_id"));
}

TEST(Logger, LinesFromManyThreadsNeverInterleave) {
  Captured captured;
  Logger logger("svc", Level::kInfo, captured.Sink());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&logger, t] {
      for (int i = 0; i < 500; ++i) logger.Log(Level::kInfo, "tick", {{"thread", t}, {"i", i}});
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_EQ(captured.lines.size(), 2000u);
  for (const std::string& line : captured.lines) {
    ASSERT_EQ(std::count(line.begin(), line.end(), '\n'), 1);
    ASSERT_FALSE(nlohmann::json::parse(line, nullptr, false).is_discarded()) << line;
  }
}

}  // namespace
}  // namespace jobledger::server
