#pragma once
// Batch files (`yike batch FILE.toml`): the types and their reader live in io (yike/io/batch.hpp);
// the engine keeps its names for them.
#include "yike/engine/coverage_run.hpp"
#include "yike/io/batch.hpp"

namespace yike::engine {

using io::BatchFile;
using io::BatchItem;
using io::load_batch;

} // namespace yike::engine
