#pragma once
// Vector layers made feature by feature while they are written, for layers too big to hold in
// memory as a whole (a big city's report has millions of demand values).
#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "yike/io/feature_writer.hpp"

namespace yike::io {

// A layer whose features are made one at a time when the writer asks for them. `feature(i, out)`
// fills `out` (handed over without geometry and properties, its vector capacity kept) with
// feature i of `size`; it may be called more than once for the same index (GeoPackage and CSV take
// the field types from a first pass) and must give the same feature every time.
struct LayerSource {
    std::string name;
    std::size_t size = 0;
    std::function<void(std::size_t index, Feature& out)> feature;
};

// write_layers for layers made feature by feature: the file is byte-identical to write_layers of
// the materialised layers; GeoJSON goes to the file as it is made.
void write_layers(const std::filesystem::path& path, const std::vector<LayerSource>& layers);

} // namespace yike::io
