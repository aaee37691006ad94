#pragma once
// What the Python module's C++ parts share: the usage error, tables made from features (the same
// features the command writes) handed to Python as columns, and vectors handed over as numpy arrays.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "yike/error.hpp"
#include "yike/io/feature_stream.hpp"
#include "yike/io/feature_writer.hpp"

namespace yike::python {

namespace py = pybind11;

// A bad argument value (yike.UsageError), as the command's usage errors (exit 2).
class usage_error : public yike::error {
public:
    using yike::error::error;
};

// Geometry as OGC WKB (little-endian), which geopandas reads in one call; empty for no geometry.
// Coordinates are rounded to 1e-7 degrees, as the command's GeoJSON holds them.
std::string to_wkb(const io::Geometry& geometry);

// Collects features (without the GIL) and hands them to Python as (columns, geometries): an
// insertion-ordered dict of numpy arrays (int64, float64 with NaN for missing values, bool) or
// lists (strings and mixed columns, None for missing values), and a list of WKB bytes or None.
// A property absent from some features is missing there.
class TableBuilder {
public:
    void add(const io::Feature& feature);
    void add(const io::LayerSource& layer);
    [[nodiscard]] std::size_t rows() const noexcept { return m_rows; }
    // Needs the GIL.
    [[nodiscard]] py::tuple take();

private:
    std::vector<std::string> m_names;
    std::unordered_map<std::string, std::size_t> m_index;
    std::vector<std::vector<io::PropertyValue>> m_values;
    std::vector<std::string> m_wkb;
    std::vector<bool> m_has_geometry;
    std::size_t m_rows = 0;
};

// A vector's contents as a numpy array owning them (no copy).
template <typename T>
py::array_t<T> to_array(std::vector<T>&& values) {
    auto* owned = new std::vector<T>(std::move(values));
    py::capsule free_when_done(owned, [](void* p) { delete static_cast<std::vector<T>*>(p); });
    return py::array_t<T>({owned->size()}, {sizeof(T)}, owned->data(), free_when_done);
}

} // namespace yike::python

namespace yike::python {

// The module's parts, each registered by its own file (module.cpp calls them).
void bind_network(py::module_& m);  // network.cpp: Network, isochrones, distances
void bind_runs(py::module_& m);     // runs.cpp: coverage, evaluate, plan, standards

} // namespace yike::python
