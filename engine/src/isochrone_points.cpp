// Isochrones from many origins on worker threads: `yike isochrone` and the Python module.
#include "detail/parallel.hpp"
#include "yike/engine/isochrone.hpp"
#include "yike/io/feature_writer.hpp"

#include <memory>

namespace yike::engine {

std::vector<OriginIsochrones> isochrones_from_points(const routing::WalkGraph& graph, const routing::Snapper& snapper,
                                                     std::span<const routing::LonLat> origins,
                                                     std::span<const routing::Cost> budgets_ascending,
                                                     routing::Metric metric, const IsochroneOptions& options,
                                                     double max_snap_m, bool with_spans, unsigned threads,
                                                     const std::function<void()>& step) {
    std::vector<OriginIsochrones> results(origins.size());
    const unsigned workers = detail::worker_count(threads, origins.size());
    // One search per worker, made on that worker's thread the first time it is needed.
    std::vector<std::unique_ptr<routing::BoundedSearch>> searches(workers);
    detail::parallel_for(origins.size(), workers, [&](std::size_t i, unsigned worker) {
        auto& search = searches[worker];
        if (!search) search = std::make_unique<routing::BoundedSearch>(graph);
        OriginIsochrones& r = results[i];
        r.snap = snapper.nearest(graph.projection.forward(origins[i]), max_snap_m);
        if (!r.snap) {
            r.error = "no walkable street within " + io::format_number(max_snap_m) + " m";
        } else {
            const routing::Origin origin = routing::origin_from_snap(*r.snap, 0);
            r.bands = build_isochrones(*search, {&origin, 1}, budgets_ascending, metric, options);
            if (with_spans) r.spans = routing::reached_spans(*search); // the search holds the largest budget
        }
        if (step) step();
    });
    return results;
}

} // namespace yike::engine
