#pragma once
// Output folders (reports, plans, evaluations, tiles work folders) that never destroy what yike did
// not write. Every folder yike writes holds a marker file naming the command that wrote it; an
// existing --out folder is replaced only when it is empty or carries that marker (or the user says
// --force), and never when it is, or holds, an input of the run. The folder is written into a
// temporary sibling `.NAME.tmp-PID` that replaces it in one step, so a failed or killed run leaves
// the previous folder intact; temporaries left by killed runs are removed by the next run when
// they carry the marker and their process is gone.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace yike::io {

// The marker's file name inside every output folder.
inline constexpr const char* output_marker = ".yike-output";

struct OutputGuard {
    bool force = false;                        // replace a non-empty folder without yike's marker
    std::vector<std::filesystem::path> inputs; // the run's input files: no folder holding one is replaced
}; // struct OutputGuard

// Throws io_error (one line naming the folder) when `target` may not be replaced: it exists and is
// not a folder, it is or holds one of guard.inputs (even with force), or it is a non-empty folder
// without yike's marker and guard.force is false. A missing target is fine.
void check_output_folder(const std::filesystem::path& target, const OutputGuard& guard);

// Throws io_error (one line naming the file) when the single output file `target` (an isochrone
// layer, an image, a graph export) is one of `inputs`: writing it would destroy an input of the run.
// A missing target, or an existing one that is no input, is fine (a file named with --out is
// the user's to overwrite).
void check_output_file(const std::filesystem::path& target, const std::vector<std::filesystem::path>& inputs);

// Writes `fill(temp)` into a temporary sibling of `target` marked as written by `writer` (e.g.
// "yike coverage"), then, after check_output_folder, puts it in place of `target` (one atomic
// exchange where the file system allows it). On any failure `target` is left as it was and the
// temporary folder is removed. Removes stale temporaries of `target` first (see below).
void write_output_folder(const std::filesystem::path& target, const std::string& writer, const OutputGuard& guard,
                         const std::function<void(const std::filesystem::path&)>& fill);

// Removes the temporary siblings `.NAME.tmp-PID` (and `.NAME.tmp-PID.old`) of `target` left by runs
// that were killed: only those whose process PID no longer exists and that carry yike's marker (or
// are empty). Returns how many were removed.
std::size_t remove_stale_temporaries(const std::filesystem::path& target);

// True when `dir` is a folder holding yike's marker.
bool has_output_marker(const std::filesystem::path& dir);

} // namespace yike::io
