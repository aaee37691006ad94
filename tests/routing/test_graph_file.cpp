// The binary graph file: round trips and the rejection of foreign, truncated or corrupt files.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "random_graph.hpp"
#include "support/temp_dir.hpp"
#include "yike/error.hpp"
#include "yike/routing/graph_file.hpp"
#include "graph_equal.hpp"

namespace fs = std::filesystem;
using yike::routing::WalkGraph;

namespace {

class GraphFileTest : public ::testing::Test {
protected:
    fs::path path(const std::string& name) const { return m_tmp.path(name); }

    static std::string slurp(const fs::path& p) {
        std::ifstream f(p, std::ios::binary);
        std::ostringstream s;
        s << f.rdbuf();
        return s.str();
    }
    static void dump(const fs::path& p, const std::string& bytes) { std::ofstream(p, std::ios::binary) << bytes; }

    // Loading must fail with an io_error whose one-line message names the file and contains `what`.
    static void expect_rejected(const fs::path& p, const std::string& what) {
        try {
            (void)yike::routing::load_walk_graph(p);
            ADD_FAILURE() << "loaded " << p << " (expected: " << what << ")";
        } catch (const yike::io_error& e) {
            const std::string msg = e.what();
            EXPECT_NE(msg.find(p.string()), std::string::npos) << msg;
            EXPECT_NE(msg.find(what), std::string::npos) << msg;
            EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
        }
    }

    WalkGraph random_graph(std::uint64_t seed_offset) const {
        std::mt19937_64 rng(yike::test::test_seed() + seed_offset);
        return yike::routing::build_walk_graph(yike::test::random_pieces(rng), 1234);
    }

private:
    yike::test::TempDir m_tmp;
};

TEST_F(GraphFileTest, RoundTripRandomGraphs) {
    for (std::uint64_t i = 0; i < 5; ++i) {
        const WalkGraph g = random_graph(i);
        std::string extra_text = "extra block " + std::to_string(i);
        extra_text.resize(extra_text.size() + i); // lengths that are not multiples of 8
        const auto* extra = reinterpret_cast<const std::byte*>(extra_text.data());
        yike::routing::save_walk_graph(path("g.ykg"), g, {extra, extra_text.size()});
        const yike::routing::LoadedGraph back = yike::routing::load_walk_graph(path("g.ykg"));
        yike::test::expect_same_graph(g, back.graph);
        ASSERT_EQ(back.extra.size(), extra_text.size());
        EXPECT_EQ(std::memcmp(back.extra.data(), extra_text.data(), extra_text.size()), 0);
        EXPECT_FALSE(fs::exists(path("g.ykg.tmp")));
    }
}

TEST_F(GraphFileTest, SavingIsDeterministic) {
    const WalkGraph g = random_graph(7);
    yike::routing::save_walk_graph(path("a.ykg"), g);
    yike::routing::save_walk_graph(path("b.ykg"), g);
    EXPECT_EQ(slurp(path("a.ykg")), slurp(path("b.ykg")));
}

TEST_F(GraphFileTest, RejectsForeignTruncatedAndCorruptFiles) {
    yike::routing::save_walk_graph(path("g.ykg"), random_graph(11));
    const std::string good = slurp(path("g.ykg"));
    ASSERT_GT(good.size(), 256U);

    expect_rejected(path("absent.ykg"), "cannot open");
    dump(path("empty.ykg"), "");
    expect_rejected(path("empty.ykg"), "not a yike graph file");

    std::string bytes = good;
    bytes[0] = 'X';
    dump(path("magic.ykg"), bytes);
    expect_rejected(path("magic.ykg"), "wrong magic");

    bytes = good;
    bytes[8] = static_cast<char>(yike::routing::graph_file_version + 1);
    dump(path("version.ykg"), bytes);
    expect_rejected(path("version.ykg"), "format version " + std::to_string(yike::routing::graph_file_version + 1));

    bytes = good;
    std::swap(bytes[12], bytes[15]);
    std::swap(bytes[13], bytes[14]);
    dump(path("endian.ykg"), bytes);
    expect_rejected(path("endian.ykg"), "other byte order");

    for (const std::size_t cut : {std::size_t{31}, std::size_t{40}, good.size() / 2, good.size() - 8, good.size() - 1}) {
        dump(path("cut.ykg"), good.substr(0, cut));
        expect_rejected(path("cut.ykg"), cut < 32 ? "not a yike graph file" : "truncated");
    }
    dump(path("longer.ykg"), good + std::string(8, '\0'));
    expect_rejected(path("longer.ykg"), "truncated or extended");

    // One flipped bit anywhere in the body, or in the stored checksum, is caught.
    std::mt19937_64 rng(yike::test::test_seed());
    std::uniform_int_distribution<std::size_t> pos(24, good.size() - 1);
    for (int trial = 0; trial < 40; ++trial) {
        bytes = good;
        const std::size_t at = trial == 0 ? 24 : pos(rng);
        bytes[at] = static_cast<char>(bytes[at] ^ (1 << (trial % 8)));
        dump(path("flip.ykg"), bytes);
        expect_rejected(path("flip.ykg"), "checksum mismatch");
    }
}

TEST_F(GraphFileTest, HashSeesEveryWordAndItsPosition) {
    std::vector<std::byte> words(8 * 37);
    for (std::size_t i = 0; i < words.size(); ++i) {
        words[i] = static_cast<std::byte>(i * 31 + 7);
    }
    const std::uint64_t h = yike::routing::graph_file_hash(words);
    EXPECT_EQ(h, yike::routing::graph_file_hash(words));
    for (std::size_t i = 0; i < words.size(); i += 5) {
        auto copy = words;
        copy[i] ^= std::byte{0x10};
        EXPECT_NE(yike::routing::graph_file_hash(copy), h) << "byte " << i;
    }
    auto swapped = words; // two words exchanged: same multiset of words, other order
    std::swap_ranges(swapped.begin(), swapped.begin() + 8, swapped.begin() + 8 * 36);
    EXPECT_NE(yike::routing::graph_file_hash(swapped), h);
    EXPECT_NE(yike::routing::graph_file_hash(std::span(words).first(8 * 36)), h);
}

} // namespace
