// Parsing and drawing from a command mix.
#include "jobledger/loadgen/mix.h"

#include <algorithm>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace jobledger::loadgen {
namespace {

constexpr Operation kAll[] = {Operation::kCreate,   Operation::kStatus,  Operation::kNote,
                              Operation::kLineItem, Operation::kLogTime, Operation::kGet,
                              Operation::kList,     Operation::kEcho,    Operation::kAssign,
                              Operation::kFreeSlots};

std::optional<Operation> ParseOperation(absl::string_view name) {
  for (Operation operation : kAll) {
    if (OperationName(operation) == name) return operation;
  }
  return std::nullopt;
}

}  // namespace

absl::string_view OperationName(Operation operation) {
  switch (operation) {
    case Operation::kCreate:
      return "create";
    case Operation::kStatus:
      return "status";
    case Operation::kNote:
      return "note";
    case Operation::kLineItem:
      return "line";
    case Operation::kLogTime:
      return "time";
    case Operation::kGet:
      return "get";
    case Operation::kList:
      return "list";
    case Operation::kEcho:
      return "echo";
    case Operation::kAssign:
      return "assign";
    case Operation::kFreeSlots:
      return "free_slots";
  }
  return "?";
}

bool IsSchedulingOperation(Operation operation) {
  return operation == Operation::kAssign || operation == Operation::kFreeSlots;
}

absl::StatusOr<CommandMix> CommandMix::Parse(absl::string_view text) {
  CommandMix mix;
  std::vector<Operation> seen;
  for (absl::string_view part : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    part = absl::StripAsciiWhitespace(part);
    const std::vector<absl::string_view> pair = absl::StrSplit(part, absl::MaxSplits('=', 1));
    if (pair.size() != 2) {
      return absl::InvalidArgumentError(absl::StrCat("mix: \"", part, "\" is not name=weight"));
    }
    const absl::string_view name = absl::StripAsciiWhitespace(pair[0]);
    const std::optional<Operation> operation = ParseOperation(name);
    if (!operation.has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat("mix: unknown operation \"", name,
                       "\" (create, status, note, line, time, get, list; assign, free_slots)"));
    }
    if (std::find(seen.begin(), seen.end(), *operation) != seen.end()) {
      return absl::InvalidArgumentError(absl::StrCat("mix: \"", name, "\" given twice"));
    }
    seen.push_back(*operation);
    int64_t weight = 0;
    if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(pair[1]), &weight) || weight < 0 ||
        weight > 1'000'000) {
      return absl::InvalidArgumentError(
          absl::StrCat("mix: weight of \"", name, "\" is not an integer in 0..1000000"));
    }
    if (weight == 0) continue;
    mix.weights_.emplace_back(*operation, weight);
    mix.total_ += weight;
  }
  if (mix.total_ == 0) {
    return absl::InvalidArgumentError("mix: no operation has a positive weight");
  }
  return mix;
}

Operation CommandMix::Pick(double u) const {
  const auto target = static_cast<int64_t>(u * static_cast<double>(total_));
  int64_t cumulative = 0;
  for (const auto& [operation, weight] : weights_) {
    cumulative += weight;
    if (target < cumulative) return operation;
  }
  return weights_.back().first;
}

bool CommandMix::IsScheduling() const {
  return std::all_of(weights_.begin(), weights_.end(),
                     [](const auto& entry) { return IsSchedulingOperation(entry.first); });
}

bool CommandMix::IsMixedServices() const {
  return !IsScheduling() && std::any_of(weights_.begin(), weights_.end(), [](const auto& entry) {
    return IsSchedulingOperation(entry.first);
  });
}

std::string CommandMix::ToString() const {
  return absl::StrJoin(weights_, ",", [](std::string* out, const auto& entry) {
    absl::StrAppend(out, OperationName(entry.first), "=", entry.second);
  });
}

}  // namespace jobledger::loadgen
