// What `jl replay` and `jl export` both do: read the selection and write it as JSON Lines or CSV.
#pragma once

#include <string>

#include "analyst_flags.h"

namespace jobledger::cli {

enum class EventFormat { kJsonLines, kCsv };

// Writes the selected events to `output` ("-": stdout) and returns the exit status: 0 when every
// record was written, 1 on an error or when some records were not valid events (each is named on
// stderr). `command` prefixes error messages ("jl replay").
int WriteSelectedEvents(const SelectionFlags& flags, EventFormat format, const std::string& output,
                        const std::string& command);

}  // namespace jobledger::cli
