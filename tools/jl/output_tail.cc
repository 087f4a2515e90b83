#include "output_tail.h"

#include <deque>
#include <fstream>

namespace jobledger::cli {

std::string OutputTail(const std::string& path, int lines) {
  std::ifstream in(path);
  std::deque<std::string> last;
  for (std::string line; std::getline(in, line);) {
    last.push_back(std::move(line));
    if (static_cast<int>(last.size()) > lines) last.pop_front();
  }
  std::string tail;
  for (const std::string& line : last) tail += "  " + line + "\n";
  return tail;
}

}  // namespace jobledger::cli
