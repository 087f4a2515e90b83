// The last lines of a process's output file, to show why a service did not start.
#pragma once

#include <string>

namespace jobledger::cli {

// At most `lines` lines from the end of `path`, each indented by two spaces; "" when unreadable.
std::string OutputTail(const std::string& path, int lines);

}  // namespace jobledger::cli
