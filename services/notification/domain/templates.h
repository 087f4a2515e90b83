// Notification message templates: checking a tenant's template when it is saved and filling it in
// when a message is sent. Pure: no I/O, no clock.
//
// Syntax, deliberately minimal:
//   - `{{name}}` is a placeholder. A name is one or more dot-separated segments of ASCII letters,
//     digits and `_`, e.g. `{{technician.name}}`. No spaces, no filters, no defaults.
//   - `{{` always opens a placeholder; there is no escape, so `{{{{` is not special (it is an
//     invalid name). A lone `{`, `}` or `}}` is literal text.
//   - An unterminated `{{`, an empty name (`{{}}`) or any other character in a name is an error.
//   - Text is valid UTF-8 of at most kMaxTemplateBytes bytes.
// Substituted values are inserted verbatim and never re-expanded, so a customer name that happens
// to contain `{{x}}` is sent as typed.
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jobledger::notification {

inline constexpr std::size_t kMaxTemplateBytes = 10'000;

// The placeholders a tenant's template may use. Only public notes are offered: internal notes must
// never reach a customer, so there is no placeholder for them.
const std::set<std::string>& KnownPlaceholders();

// OK if `text` is well formed and every placeholder is in `known`; otherwise INVALID_ARGUMENT
// naming the first problem and its byte offset, e.g.
// `unknown placeholder {{job.numbr}} at 14; known: ...`.
[[nodiscard]] absl::Status ValidateTemplate(absl::string_view text,
                                            const std::set<std::string>& known);

// `text` with every placeholder replaced by its value. INVALID_ARGUMENT for a malformed template or
// a value that is not valid UTF-8; FAILED_PRECONDITION naming a placeholder with no value, so a
// literal `{{...}}` is never sent to a customer.
[[nodiscard]] absl::StatusOr<std::string> RenderTemplate(
    absl::string_view text, const std::map<std::string, std::string>& values);

}  // namespace jobledger::notification
