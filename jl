#!/usr/bin/env bash
# jobledger's front door: installs what is missing, builds incrementally, then runs the `jl` CLI.
#   ./jl up            run the whole system
#   ./jl test [ARGS]   run every test through CTest (ARGS go to ctest, e.g. -L unit)
# JL_PRESET picks the CMake preset (default: release).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
preset=${JL_PRESET:-release}

"$root/tools/install-deps"
cd "$root"
# ThreadSanitizer needs an abseil it can see (tools/sanitizers/tsan-abseil).
if [[ "$preset" == tsan ]]; then
  tools/sanitizers/tsan-abseil
fi
if [[ ! -f "build/$preset/build.ninja" ]]; then
  cmake --preset "$preset" >/dev/null
fi
cmake --build --preset "$preset"

if [[ "${1:-}" == "test" ]]; then
  shift
  exec ctest --preset "$preset" "$@"
fi
exec "$root/build/$preset/tools/jl/jl" "$@"
