#include "yike/routing/radix_sort.hpp"

#include <array>
#include <cstddef>
#include <utility>

#include "yike/assert.hpp"

namespace yike::routing {

namespace {

constexpr int digit_bits = 16;
constexpr std::size_t digit_count = std::size_t{1} << digit_bits;
constexpr int passes = 64 / digit_bits;

// Flipping the sign bit maps signed order onto unsigned order.
std::uint64_t ordered(std::int64_t key) noexcept {
    return static_cast<std::uint64_t>(key) ^ (std::uint64_t{1} << 63);
}

std::size_t digit(std::int64_t key, int pass) noexcept {
    return static_cast<std::size_t>((ordered(key) >> (pass * digit_bits)) & (digit_count - 1));
}

} // namespace

void radix_sort(std::vector<std::int64_t>& keys, std::vector<std::uint32_t>* values) {
    YIKE_ASSERT(values == nullptr || values->size() == keys.size());
    const std::size_t n = keys.size();
    if (n < 2) {
        return;
    }
    std::vector<std::array<std::uint32_t, digit_count>> count(passes);
    for (auto& c : count) {
        c.fill(0);
    }
    for (const std::int64_t k : keys) {
        for (int p = 0; p < passes; ++p) {
            ++count[p][digit(k, p)];
        }
    }
    std::vector<std::int64_t> key_tmp(n);
    std::vector<std::uint32_t> value_tmp(values != nullptr ? n : 0);
    for (int p = 0; p < passes; ++p) {
        auto& c = count[p];
        if (c[digit(keys[0], p)] == n) {
            continue; // every key has this digit: the pass would not move anything
        }
        std::uint32_t sum = 0;
        for (auto& x : c) {
            sum += std::exchange(x, sum);
        }
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint32_t at = c[digit(keys[i], p)]++;
            key_tmp[at] = keys[i];
            if (values != nullptr) {
                value_tmp[at] = (*values)[i];
            }
        }
        keys.swap(key_tmp);
        if (values != nullptr) {
            values->swap(value_tmp);
        }
    }
}

} // namespace yike::routing
