// W3C traceparent parsing and generation.
#include "jobledger/server/trace.h"

#include "gtest/gtest.h"

namespace jobledger::server {
namespace {

constexpr char kExample[] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

TEST(TraceContext, ParsesAndFormatsTheSpecificationExample) {
  const std::optional<TraceContext> trace = TraceContext::Parse(kExample);
  ASSERT_TRUE(trace.has_value());
  EXPECT_EQ(trace->trace_id_hex(), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(trace->span_id_hex(), "00f067aa0ba902b7");
  EXPECT_TRUE(trace->sampled());
  EXPECT_EQ(trace->ToTraceparent(), kExample);
}

TEST(TraceContext, RefusesInvalidValues) {
  for (const char* bad : {
           "",
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",       // no flags
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x",  // 00 is exactly 55
           "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",    // version ff
           "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",    // upper case
           "00-00000000000000000000000000000000-00f067aa0ba902b7-01",    // zero trace id
           "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",    // zero span id
           "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",    // separator
           "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",    // not hex
           "0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
           "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",  // later version, no '-'
       }) {
    EXPECT_FALSE(TraceContext::Parse(bad).has_value()) << bad;
  }
}

TEST(TraceContext, ReadsLaterVersionsForwardCompatibly) {
  const std::optional<TraceContext> trace = TraceContext::Parse(
      "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-what-the-future-holds");
  ASSERT_TRUE(trace.has_value());
  EXPECT_FALSE(trace->sampled());
  EXPECT_EQ(trace->ToTraceparent(), "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
}

TEST(TraceContext, ChildKeepsTheTraceWithANewSpan) {
  const TraceContext parent = *TraceContext::Parse(kExample);
  const TraceContext child = parent.Child();
  EXPECT_EQ(child.trace_id_hex(), parent.trace_id_hex());
  EXPECT_NE(child.span_id_hex(), parent.span_id_hex());
  EXPECT_EQ(child.flags(), 0x01);
  EXPECT_EQ(TraceContext::Parse(child.ToTraceparent()), child);
}

TEST(TraceContext, NewRootsAreValidAndDistinct) {
  const TraceContext a = TraceContext::NewRoot();
  const TraceContext b = TraceContext::NewRoot();
  EXPECT_NE(a.trace_id_hex(), b.trace_id_hex());
  EXPECT_TRUE(a.sampled());
  ASSERT_TRUE(TraceContext::Parse(a.ToTraceparent()).has_value());
  EXPECT_EQ(a.ToTraceparent().size(), 55u);
}

}  // namespace
}  // namespace jobledger::server
