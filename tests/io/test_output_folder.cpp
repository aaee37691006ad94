// Output folders never destroy what yike did not write (io/output_folder.hpp).
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/temp_dir.hpp"
#include "yike/error.hpp"
#include "yike/io/output_folder.hpp"

namespace {

namespace fs = std::filesystem;
using yike::io::OutputGuard;

class OutputFolderTest : public ::testing::Test {
protected:
    static void write(const fs::path& file, const std::string& text) {
        fs::create_directories(file.parent_path());
        std::ofstream(file) << text;
    }
    static std::string read(const fs::path& file) {
        std::ifstream f(file);
        return {std::istreambuf_iterator<char>(f), {}};
    }
    static void fill(const fs::path& dir) { write(dir / "summary.md", "new"); }

    // The pid of a process that has exited.
    static pid_t dead_pid() {
        const pid_t pid = ::fork();
        if (pid == 0) ::_exit(0);
        int status = 0;
        ::waitpid(pid, &status, 0);
        return pid;
    }

    yike::test::TempDir m_tmp;
    const fs::path& m_dir = m_tmp.dir();
};

TEST_F(OutputFolderTest, WritesAMarkedFolderAndReplacesOnlyMarkedOnes) {
    const auto out = m_dir / "report";
    yike::io::write_output_folder(out, "yike test", {}, fill);
    EXPECT_TRUE(yike::io::has_output_marker(out));
    EXPECT_NE(read(out / yike::io::output_marker).find("yike test"), std::string::npos);
    // Its own folder is replaced.
    yike::io::write_output_folder(out, "yike test", {}, [](const fs::path& d) { write(d / "b.txt", "b"); });
    EXPECT_TRUE(fs::exists(out / "b.txt"));
    EXPECT_FALSE(fs::exists(out / "summary.md"));
    // An empty folder is replaced.
    fs::create_directory(m_dir / "empty");
    yike::io::write_output_folder(m_dir / "empty", "yike test", {}, fill);
    EXPECT_EQ(read(m_dir / "empty" / "summary.md"), "new");
}

TEST_F(OutputFolderTest, RefusesAFolderYikeDidNotWriteUnlessForced) {
    const auto out = m_dir / "mydata";
    write(out / "important.txt", "precious");
    try {
        yike::io::write_output_folder(out, "yike test", {}, fill);
        FAIL() << "replaced a folder yike did not write";
    } catch (const yike::io_error& e) {
        EXPECT_NE(std::string(e.what()).find("--force"), std::string::npos) << e.what();
    }
    EXPECT_EQ(read(out / "important.txt"), "precious");
    EXPECT_FALSE(fs::exists(out / "summary.md"));
    // Nothing else is left beside it.
    EXPECT_EQ(std::distance(fs::directory_iterator(m_dir), fs::directory_iterator{}), 1);

    yike::io::write_output_folder(out, "yike test", OutputGuard{true, {}}, fill);
    EXPECT_FALSE(fs::exists(out / "important.txt"));
    EXPECT_EQ(read(out / "summary.md"), "new");
}

TEST_F(OutputFolderTest, NeverReplacesAFolderHoldingAnInputEvenWhenForced) {
    const auto out = m_dir / "data";
    write(out / "deep" / "households.csv", "id,lon,lat");
    write(out / yike::io::output_marker, "marked, but it holds an input");
    for (const auto& input : {out / "deep" / "households.csv", fs::relative(out / "deep" / "households.csv")}) {
        for (const bool force : {false, true}) {
            EXPECT_THROW(yike::io::write_output_folder(out, "yike test", OutputGuard{force, {input}}, fill), yike::io_error);
            EXPECT_TRUE(fs::exists(out / "deep" / "households.csv"));
        }
    }
    // The input's own folder named with a trailing separator or through "..".
    EXPECT_THROW(yike::io::check_output_folder(m_dir / "data" / "deep" / "..", OutputGuard{true, {out / "deep" / "households.csv"}}),
                 yike::io_error);
    // A sibling whose name merely starts alike holds nothing of it.
    write(m_dir / "data2" / yike::io::output_marker, "");
    EXPECT_NO_THROW(yike::io::check_output_folder(m_dir / "data2", OutputGuard{false, {out / "deep" / "households.csv"}}));
}

TEST_F(OutputFolderTest, AFileIsNeverReplaced) {
    write(m_dir / "report", "a file");
    EXPECT_THROW(yike::io::write_output_folder(m_dir / "report", "yike test", OutputGuard{true, {}}, fill), yike::io_error);
    EXPECT_EQ(read(m_dir / "report"), "a file");
}

// A single output file (isochrone layer, image, graph file) never overwrites an input, however
// its path is spelled; any other file, existing or not, may be written.
TEST_F(OutputFolderTest, AnOutputFileIsNeverAnInput) {
    write(m_dir / "in" / "points.geojson", "input");
    write(m_dir / "old.geojson", "earlier output");
    const std::vector<fs::path> inputs{"", m_dir / "in" / "points.geojson", m_dir / "missing.csv"};
    for (const fs::path& same : {m_dir / "in" / "points.geojson", m_dir / "in" / ".." / "in" / "points.geojson",
                                 m_dir / "in" / "." / "points.geojson"}) {
        EXPECT_THROW(yike::io::check_output_file(same, inputs), yike::io_error) << same;
    }
    fs::create_symlink(m_dir / "in" / "points.geojson", m_dir / "link.geojson");
    EXPECT_THROW(yike::io::check_output_file(m_dir / "link.geojson", inputs), yike::io_error);
    EXPECT_NO_THROW(yike::io::check_output_file(m_dir / "old.geojson", inputs));
    EXPECT_NO_THROW(yike::io::check_output_file(m_dir / "new.geojson", inputs));
    EXPECT_NO_THROW(yike::io::check_output_file(m_dir / "missing.csv", inputs)); // not there: nothing to destroy
    try {
        yike::io::check_output_file(m_dir / "in" / "points.geojson", inputs);
    } catch (const yike::io_error& e) {
        EXPECT_NE(std::string(e.what()).find("is an input of this run"), std::string::npos) << e.what();
    }
    EXPECT_EQ(read(m_dir / "in" / "points.geojson"), "input");
}

TEST_F(OutputFolderTest, AFailedFillKeepsTheOldFolderAndLeavesNoTemporary) {
    const auto out = m_dir / "report";
    yike::io::write_output_folder(out, "yike test", {}, fill);
    EXPECT_THROW(yike::io::write_output_folder(out, "yike test", {},
                                               [](const fs::path& d) {
                                                   write(d / "half.txt", "half");
                                                   throw yike::io_error("disk full");
                                               }),
                 yike::io_error);
    EXPECT_EQ(read(out / "summary.md"), "new");
    EXPECT_EQ(std::distance(fs::directory_iterator(m_dir), fs::directory_iterator{}), 1);
}

TEST_F(OutputFolderTest, RemovesOnlyMarkedTemporariesOfDeadProcesses) {
    const auto out = m_dir / "report";
    const auto dead = std::to_string(dead_pid());
    const auto alive = std::to_string(::getppid());
    const auto stale = m_dir / (".report.tmp-" + dead);
    const auto stale_aside = m_dir / (".report.tmp-" + dead + ".old");
    const auto empty = m_dir / (".report.tmp-" + dead + "0"); // pid 10x: may exist, then kept
    const auto foreign = m_dir / (".report.tmp-" + dead + ".bak");
    const auto unmarked = m_dir / ".report.tmp-999999999";
    const auto running = m_dir / (".report.tmp-" + alive);
    for (const auto& d : {stale, stale_aside, running}) write(d / yike::io::output_marker, "");
    write(foreign / yike::io::output_marker, "");
    write(unmarked / "notes.txt", "keep");
    fs::create_directory(empty);
    write(m_dir / ".other.tmp-1" / yike::io::output_marker, ""); // another output's temporary

    yike::io::write_output_folder(out, "yike test", {}, fill);
    EXPECT_FALSE(fs::exists(stale));
    EXPECT_FALSE(fs::exists(stale_aside));
    EXPECT_TRUE(fs::exists(foreign)) << "not a temporary's name";
    EXPECT_TRUE(fs::exists(unmarked / "notes.txt"));
    EXPECT_TRUE(fs::exists(running)) << "its process is alive";
    EXPECT_TRUE(fs::exists(m_dir / ".other.tmp-1"));
    EXPECT_EQ(yike::io::remove_stale_temporaries(out), 0u);
}

TEST_F(OutputFolderTest, OwnTemporaryNameTakenByAForeignFolder) {
    const auto out = m_dir / "report";
    const auto mine = m_dir / (".report.tmp-" + std::to_string(::getpid()));
    write(mine / "notes.txt", "keep");
    EXPECT_THROW(yike::io::write_output_folder(out, "yike test", {}, fill), yike::io_error);
    EXPECT_EQ(read(mine / "notes.txt"), "keep");
    EXPECT_FALSE(fs::exists(out));
}

} // namespace
