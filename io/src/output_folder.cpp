#include "yike/io/output_folder.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <sys/types.h>
#include <unistd.h>

#include "yike/error.hpp"

namespace yike::io {
namespace {

namespace fs = std::filesystem;

// "out/" names the folder "out".
fs::path folder_path(const fs::path& dir) {
    auto target = dir;
    if (!target.has_filename()) target = target.parent_path();
    return target;
}

fs::path parent_of(const fs::path& target) {
    return target.has_parent_path() ? target.parent_path() : fs::path(".");
}

// `inner` is `outer` or lies below it (both absolute and normalised).
bool is_within(const fs::path& inner, const fs::path& outer) {
    auto i = inner.begin();
    for (auto o = outer.begin(); o != outer.end(); ++o, ++i) {
        if (o->empty()) continue; // a trailing separator
        if (i == inner.end() || *i != *o) return false;
    }
    return true;
}

fs::path resolved(const fs::path& p) {
    std::error_code ec;
    auto r = fs::weakly_canonical(fs::absolute(p, ec), ec);
    return ec ? fs::absolute(p).lexically_normal() : r;
}

// ".NAME.tmp-" (built by appending: GCC 12 warns falsely on "." + std::string, -Wrestrict).
std::string temp_prefix(const fs::path& target) {
    std::string prefix = ".";
    prefix += target.filename().string();
    prefix += ".tmp-";
    return prefix;
}

bool process_exists(long pid) {
    if (pid <= 0) return true; // not a process we could have been: never treat as dead
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

bool is_empty_folder(const fs::path& dir) {
    std::error_code ec;
    return fs::is_directory(dir, ec) && fs::is_empty(dir, ec) && !ec;
}

// Removes a temporary folder only when it is one of ours (marked) or holds nothing.
bool remove_if_ours(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(fs::symlink_status(dir, ec))) return false;
    if (!has_output_marker(dir) && !is_empty_folder(dir)) return false;
    fs::remove_all(dir, ec);
    return !ec;
}

} // namespace

bool has_output_marker(const fs::path& dir) {
    std::error_code ec;
    return fs::is_regular_file(fs::symlink_status(dir / output_marker, ec));
}

void check_output_folder(const fs::path& dir, const OutputGuard& guard) {
    const auto target = folder_path(dir);
    std::error_code ec;
    if (!fs::exists(target, ec)) return;
    if (!fs::is_directory(target, ec))
        throw io_error(target.string() + ": exists and is not a folder; not replaced");
    const auto whole = resolved(target);
    for (const auto& input : guard.inputs) {
        if (input.empty() || !fs::exists(input, ec)) continue;
        if (is_within(resolved(input), whole))
            throw io_error(target.string() + ": holds " + input.string() +
                           ", an input of this run; not replaced (not even with --force): give another --out");
    }
    if (guard.force || has_output_marker(target) || fs::is_empty(target, ec)) return;
    throw io_error(target.string() + ": exists, is not empty and was not written by yike (no " + output_marker +
                   " file); not replaced: give a new or empty folder, or --force to replace it");
}

void check_output_file(const fs::path& target, const std::vector<fs::path>& inputs) {
    std::error_code ec;
    if (target.empty() || !fs::exists(target, ec)) return;
    for (const auto& input : inputs) {
        if (input.empty()) continue;
        if (fs::equivalent(target, input, ec)) {
            throw io_error(target.string() + ": is an input of this run (" + input.string() +
                           "); not overwritten: give another output file");
        }
    }
}

std::size_t remove_stale_temporaries(const fs::path& dir) {
    const auto target = folder_path(dir);
    const auto prefix = temp_prefix(target);
    std::size_t removed = 0;
    std::error_code ec;
    fs::directory_iterator it(parent_of(target), ec);
    if (ec) return 0;
    for (const auto& entry : it) {
        const auto name = entry.path().filename().string();
        if (name.compare(0, prefix.size(), prefix) != 0) continue;
        auto rest = name.substr(prefix.size());
        if (rest.size() > 4 && rest.compare(rest.size() - 4, 4, ".old") == 0) rest.resize(rest.size() - 4);
        if (rest.empty() || rest.size() > 9 || rest.find_first_not_of("0123456789") != std::string::npos) continue;
        if (process_exists(std::stol(rest))) continue;
        if (remove_if_ours(entry.path())) ++removed;
    }
    return removed;
}

void write_output_folder(const fs::path& dir, const std::string& writer, const OutputGuard& guard,
                         const std::function<void(const fs::path&)>& fill) {
    const auto target = folder_path(dir);
    const auto parent = parent_of(target);
    std::error_code ec;
    if (!fs::is_directory(parent, ec)) throw io_error(target.string() + ": the parent folder does not exist");
    check_output_folder(target, guard);
    remove_stale_temporaries(target);
    const auto temp = parent / (temp_prefix(target) + std::to_string(::getpid()));
    if (fs::exists(fs::symlink_status(temp, ec)) && !remove_if_ours(temp))
        throw io_error(temp.string() + ": exists and was not written by yike; remove it or give another --out");
    try {
        fs::create_directory(temp, ec);
        if (ec) throw io_error(target.string() + ": cannot create the folder (" + ec.message() + ")");
        {
            // First, so that a run killed while writing leaves a temporary the next run may remove.
            std::ofstream marker(temp / output_marker, std::ios::binary | std::ios::trunc);
            marker << "written by " << writer << "; yike replaces this folder as a whole on its next run\n";
            marker.close();
            if (!marker) throw io_error((temp / output_marker).string() + ": cannot write");
        }
        fill(temp);
        check_output_folder(target, guard); // again: the folder may have changed during the run
        if (!fs::exists(target, ec)) {
            fs::rename(temp, target, ec);
            if (ec) throw io_error(target.string() + ": cannot create the folder: " + ec.message());
            return;
        }
        if (::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) {
            fs::remove_all(temp, ec); // now holds the previous folder, checked above
            return;
        }
        // No exchange on this file system: move the old folder aside (never delete it before the
        // new one is in place), then the new one in.
        auto aside = temp;
        aside += ".old";
        fs::rename(target, aside, ec);
        if (ec) throw io_error(target.string() + ": cannot replace the folder: " + ec.message());
        fs::rename(temp, target, ec);
        if (ec) {
            std::error_code ignored;
            fs::rename(aside, target, ignored);
            throw io_error(target.string() + ": cannot replace the folder: " + ec.message());
        }
        fs::remove_all(aside, ec);
    } catch (...) {
        fs::remove_all(temp, ec);
        throw;
    }
}

} // namespace yike::io
