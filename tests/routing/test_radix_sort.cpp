// radix_sort against std::stable_sort on random ids (negative, clustered, spread, duplicated).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

#include "random_graph.hpp"
#include "yike/routing/radix_sort.hpp"

namespace {

TEST(RadixSort, EqualsStableSort) {
    std::mt19937_64 rng(yike::test::test_seed());
    const std::int64_t ranges[] = {5, 70'000, std::int64_t{1} << 33, std::int64_t{1} << 62};
    for (const std::int64_t range : ranges) {
        for (const std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{1000}, std::size_t{100'000}}) {
            std::uniform_int_distribution<std::int64_t> id(-range, range);
            std::vector<std::int64_t> keys(n);
            for (auto& k : keys) {
                k = id(rng);
            }
            std::vector<std::uint32_t> values(n);
            std::iota(values.begin(), values.end(), 0U);
            std::vector<std::uint32_t> expected_values = values;
            std::stable_sort(expected_values.begin(), expected_values.end(),
                             [&](std::uint32_t a, std::uint32_t b) { return keys[a] < keys[b]; });
            std::vector<std::int64_t> expected_keys(n);
            for (std::size_t i = 0; i < n; ++i) {
                expected_keys[i] = keys[expected_values[i]];
            }
            std::vector<std::int64_t> only_keys = keys;
            yike::routing::radix_sort(keys, &values);
            EXPECT_EQ(keys, expected_keys) << "range " << range << " n " << n;
            EXPECT_EQ(values, expected_values) << "range " << range << " n " << n;
            yike::routing::radix_sort(only_keys);
            EXPECT_EQ(only_keys, expected_keys);
        }
    }
}

TEST(RadixSort, ExtremeKeys) {
    std::vector<std::int64_t> keys{INT64_MAX, 0, INT64_MIN, -1, 1, INT64_MIN + 1, INT64_MAX - 1};
    std::vector<std::int64_t> expected = keys;
    std::sort(expected.begin(), expected.end());
    yike::routing::radix_sort(keys);
    EXPECT_EQ(keys, expected);
}

} // namespace
