// Quality of the planner against the exact optimum: generated instances with spatial reach sets
// (candidates and demand points at random in a square, reach = within a radius, a few existing
// facilities already covering some demand), maximal covering for several k by the heuristic
// (lazy greedy + swap, with its bound) and by the exact GLPK ILP. Prints a Markdown table.
//
//   planning_quality [candidates=300] [demand=3000] [radius_m=400] [seed=15] [time_limit_s=300] [EXPORT_DIR]
//
// With EXPORT_DIR, the instance and the answers are also written there for another ILP solver
// (benchmarks/peers.py planning): reach_first.bin and reach_demand.bin (uint32, the ReachSets CSR),
// weight.bin (float64), covered.bin (uint8), and results.csv (k, heuristic and exact objectives,
// proven, seconds).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "yike/engine/planning.hpp"

namespace {

using namespace yike;

struct Point {
    double x;
    double y;
};

template <typename T>
void write_array(const std::filesystem::path& path, const std::vector<T>& values) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(values.data()), static_cast<std::streamsize>(values.size() * sizeof(T)));
    if (!out) {
        std::fprintf(stderr, "planning_quality: cannot write %s\n", path.c_str());
        std::exit(1);
    }
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

int main(int argc, char** argv) {
    auto arg = [&](int i, double fallback) { return argc > i ? std::strtod(argv[i], nullptr) : fallback; };
    const auto candidates = static_cast<std::uint32_t>(arg(1, 300));
    const auto demand = static_cast<std::uint32_t>(arg(2, 3000));
    const double radius_m = arg(3, 400.0);
    const auto seed = static_cast<std::uint64_t>(arg(4, 15));
    const double time_limit_s = arg(5, 300.0);
    constexpr double side_m = 6000.0;
    constexpr std::uint32_t existing = 10;

    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> coord(0.0, side_m);
    std::uniform_real_distribution<double> people(1.0, 100.0);
    // Demand clustered around a few centres (neighbourhoods) plus a uniform background.
    std::vector<Point> centre(12);
    for (auto& c : centre) {
        c = {coord(rng), coord(rng)};
    }
    std::normal_distribution<double> spread(0.0, 600.0);
    std::uniform_int_distribution<std::size_t> pick_centre(0, centre.size() - 1);
    std::uniform_int_distribution<int> percent(0, 99);
    std::vector<Point> d(demand);
    for (auto& p : d) {
        if (percent(rng) < 70) {
            const Point& c = centre[pick_centre(rng)];
            p = {std::clamp(c.x + spread(rng), 0.0, side_m), std::clamp(c.y + spread(rng), 0.0, side_m)};
        } else {
            p = {coord(rng), coord(rng)};
        }
    }
    std::vector<Point> s(candidates);
    for (auto& p : s) {
        p = {coord(rng), coord(rng)};
    }
    auto within = [&](const Point& a, const Point& b) { return std::hypot(a.x - b.x, a.y - b.y) <= radius_m; };

    engine::ReachSets reach;
    reach.first.push_back(0);
    for (const Point& c : s) {
        for (std::uint32_t i = 0; i < demand; ++i) {
            if (within(c, d[i])) {
                reach.demand.push_back(i);
                reach.cost.push_back(static_cast<routing::Cost>(std::hypot(c.x - d[i].x, c.y - d[i].y) * 100.0));
            }
        }
        reach.first.push_back(static_cast<std::uint32_t>(reach.demand.size()));
    }
    engine::CoveringProblem problem;
    problem.reach = &reach;
    problem.covered.assign(demand, 0);
    for (std::uint32_t e = 0; e < existing; ++e) {
        const Point f{coord(rng), coord(rng)};
        for (std::uint32_t i = 0; i < demand; ++i) {
            problem.covered[i] = problem.covered[i] != 0 || within(f, d[i]) ? 1 : 0;
        }
    }
    for (std::uint32_t i = 0; i < demand; ++i) {
        problem.weight.push_back(std::round(people(rng)));
    }
    double open = 0;
    for (std::uint32_t i = 0; i < demand; ++i) {
        open += problem.covered[i] != 0 ? 0.0 : problem.weight[i];
    }
    const std::filesystem::path export_dir = argc > 6 ? argv[6] : "";
    std::ofstream results;
    if (!export_dir.empty()) {
        std::filesystem::create_directories(export_dir);
        write_array(export_dir / "reach_first.bin", reach.first);
        write_array(export_dir / "reach_demand.bin", reach.demand);
        write_array(export_dir / "weight.bin", problem.weight);
        write_array(export_dir / "covered.bin", problem.covered);
        results.open(export_dir / "results.csv");
        results.precision(15);
        results << "k,heuristic,exact,proven,heuristic_s,exact_s\n";
    }
    std::printf("instance: %u candidates, %u demand points (weight 1-100, %u existing facilities), radius %.0f m "
                "in a %.0f m square, %zu reach entries, seed %llu; open weight %.0f\n\n",
                candidates, demand, existing, radius_m, side_m, reach.demand.size(),
                static_cast<unsigned long long>(seed), open);
    std::printf("| k | heuristic | heuristic time | stated bound | stated gap | bound source | ILP optimum | ILP time | "
                "proven | heuristic / optimum |\n|--:|--:|--:|--:|--:|---|--:|--:|---|--:|\n");
    for (const std::uint32_t k : {5U, 10U, 20U, 50U}) {
        auto t0 = std::chrono::steady_clock::now();
        const engine::PlanResult h = engine::maximal_covering(problem, k);
        const double th = seconds_since(t0);
        engine::PlanOptions exact;
        exact.exact = true;
        exact.exact_time_limit_s = time_limit_s;
        t0 = std::chrono::steady_clock::now();
        const engine::PlanResult x = engine::maximal_covering(problem, k, exact);
        const double tx = seconds_since(t0);
        const std::string bound = h.method.substr(h.method.find("bound: ") + 7);
        std::printf("| %u | %.0f | %.3f s | %.1f | %.3f %% | %s | %.0f | %.2f s | %s | %.5f |\n", k, h.objective, th,
                    h.upper_bound, 100.0 * h.gap, bound.c_str(), x.objective, tx, x.optimal ? "yes" : "no",
                    x.objective > 0 ? h.objective / x.objective : 1.0);
        std::fflush(stdout);
        if (results.is_open()) {
            results << k << ',' << h.objective << ',' << x.objective << ',' << (x.optimal ? 1 : 0) << ',' << th << ','
                    << tx << '\n';
        }
    }
    return 0;
}
