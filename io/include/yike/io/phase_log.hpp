#pragma once
// Phase marks for measuring whole commands (benchmarks/whole_commands.py). When the environment
// variable YIKE_PHASES is set (to anything), every mark prints one line to stderr:
//   yike-phase <wall s since the first mark> <process CPU s> <name>
// followed by
//   yike-memory <resident MiB> <peak resident MiB so far> <name>
// A phase lasts from its mark to the next one. Nothing is printed otherwise, and no output file
// ever depends on it.
#include <string_view>

namespace yike::io {

void phase_mark(std::string_view name);

} // namespace yike::io
