#pragma once
// Sorting of OSM ids for the graph builders: an LSD radix sort is several times faster than
// std::sort on the millions of 64-bit ids of a city's way-node references.
#include <cstdint>
#include <vector>

namespace yike::routing {

// Sorts `keys` ascending (as signed 64-bit numbers). When `values` is given (same size), it is
// permuted along with the keys, and equal keys keep their input order (stable). Passes over
// 16-bit digits that are equal for every key are skipped, so small id ranges cost fewer passes.
void radix_sort(std::vector<std::int64_t>& keys, std::vector<std::uint32_t>* values = nullptr);

} // namespace yike::routing
