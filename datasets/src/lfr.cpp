// The LFR benchmark generator; the method and its conventions are described in cibgraph/datasets/lfr.hpp.
#include "cibgraph/datasets/lfr.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "cibgraph/datasets/random_graphs.hpp"
#include "cibgraph/error.hpp"

namespace cibgraph::datasets {
namespace {

// A continuous power law with density proportional to x^-exponent on [low, high).
class PowerLaw {
 public:
  PowerLaw(double exponent, double low, double high) : exponent_(exponent), low_(low), high_(high) {
    if (!is_log()) {
      low_power_ = std::pow(low_, 1.0 - exponent_);
      high_power_ = std::pow(high_, 1.0 - exponent_);
    }
  }

  double cdf(double x) const {
    if (x <= low_) return 0.0;
    if (x >= high_) return 1.0;
    if (is_log()) return std::log(x / low_) / std::log(high_ / low_);
    return (std::pow(x, 1.0 - exponent_) - low_power_) / (high_power_ - low_power_);
  }

  double quantile(double u) const {
    if (is_log()) return low_ * std::pow(high_ / low_, u);
    return std::pow(low_power_ + u * (high_power_ - low_power_), 1.0 / (1.0 - exponent_));
  }

  // E[floor(X)], summed over the integers the support covers.
  double expected_floor() const {
    double mean = 0.0;
    for (double j = std::floor(low_); j < high_; j += 1.0) mean += j * (cdf(j + 1.0) - cdf(std::max(j, low_)));
    return mean;
  }

  // floor(X) for one draw, kept within [floor(low), ceil(high) - 1] against rounding at the ends.
  std::uint32_t draw_floor(SplitMix64& rng) const {
    const double x = std::floor(quantile(rng.uniform()));
    return static_cast<std::uint32_t>(std::clamp(x, std::floor(low_), std::ceil(high_) - 1.0));
  }

 private:
  bool is_log() const { return std::abs(exponent_ - 1.0) < 1e-12; }

  double exponent_, low_, high_;
  double low_power_ = 0.0, high_power_ = 0.0;
};

void validate(const LfrOptions& o) {
  const auto fail = [](const std::string& message) { throw UsageError("lfr: " + message); };
  if (o.n < 2) fail("n must be at least 2");
  if (o.max_degree < 1 || o.max_degree >= o.n) fail("max_degree must be between 1 and n - 1");
  if (!std::isfinite(o.average_degree) || o.average_degree < 1.0 || o.average_degree > o.max_degree) {
    fail("average_degree must be between 1 and max_degree");
  }
  if (!std::isfinite(o.degree_exponent) || o.degree_exponent < 0.0) fail("degree_exponent must be >= 0");
  if (!std::isfinite(o.community_exponent) || o.community_exponent < 0.0) fail("community_exponent must be >= 0");
  if (!(o.mixing >= 0.0 && o.mixing <= 1.0)) fail("mixing must be in [0, 1]");
  if (o.min_community < 1 || o.min_community > o.max_community || o.max_community > o.n) {
    fail("community sizes need 1 <= min_community <= max_community <= n");
  }
}

// Degrees with the requested mean: the lower end of the power law is found by bisection, the expectation of
// floor(X) rising with it.
std::vector<std::uint32_t> draw_degrees(const LfrOptions& o, SplitMix64& rng) {
  const double high = o.max_degree + 1.0;
  const auto mean_for = [&](double low) { return PowerLaw(o.degree_exponent, low, high).expected_floor(); };
  double low = 1.0, top = o.max_degree;
  if (mean_for(low) > o.average_degree) {
    throw UsageError("lfr: average_degree " + std::to_string(o.average_degree) + " is below the smallest mean (" +
                     std::to_string(mean_for(low)) + ") a power law with this exponent and max_degree allows");
  }
  for (int step = 0; step < 60; ++step) {
    const double mid = 0.5 * (low + top);
    (mean_for(mid) < o.average_degree ? low : top) = mid;
  }
  const PowerLaw law(o.degree_exponent, low, high);
  std::vector<std::uint32_t> degree(o.n);
  for (auto& d : degree) d = std::max<std::uint32_t>(1, law.draw_floor(rng));
  return degree;
}

std::vector<std::uint32_t> draw_community_sizes(const LfrOptions& o, SplitMix64& rng) {
  const PowerLaw law(o.community_exponent, o.min_community, o.max_community + 1.0);
  std::vector<std::uint32_t> sizes;
  std::uint32_t covered = 0;
  while (covered < o.n) {
    const std::uint32_t size = law.draw_floor(rng);
    const std::uint32_t remaining = o.n - covered;
    if (size <= remaining) {
      sizes.push_back(size);
      covered += size;
      continue;
    }
    if (remaining >= o.min_community) {
      sizes.push_back(remaining);
      break;
    }
    // Too few vertices left for a community of its own: they join random communities that still have room.
    std::vector<std::uint32_t> with_room;
    for (std::uint32_t c = 0; c < sizes.size(); ++c) {
      if (sizes[c] < o.max_community) with_room.push_back(c);
    }
    std::uint32_t left = remaining;
    while (left > 0 && !with_room.empty()) {
      const std::uint32_t pick = rng.below(static_cast<std::uint32_t>(with_room.size()));
      if (++sizes[with_room[pick]] == o.max_community) {
        with_room[pick] = with_room.back();
        with_room.pop_back();
      }
      --left;
    }
    if (left > 0) sizes.push_back(left);  // every community is full: a small one is the only way to cover n
    break;
  }
  return sizes;
}

// Each vertex, in decreasing order of internal degree, takes a random free slot among the communities larger
// than its internal degree. Largest first, so the vertices with the fewest options choose first.
std::vector<std::uint32_t> assign_communities(const std::vector<std::uint32_t>& internal_degree,
                                              const std::vector<std::uint32_t>& sizes, std::uint32_t max_degree,
                                              SplitMix64& rng) {
  const auto n = static_cast<std::uint32_t>(internal_degree.size());
  std::vector<std::uint32_t> by_degree(n);
  {
    std::vector<std::uint32_t> start(std::size_t{max_degree} + 2, 0);
    for (auto d : internal_degree) ++start[max_degree - d + 1];  // descending degree = ascending max_degree - d
    for (std::size_t i = 1; i < start.size(); ++i) start[i] += start[i - 1];
    for (std::uint32_t v = 0; v < n; ++v) by_degree[start[max_degree - internal_degree[v]]++] = v;
  }
  std::vector<std::uint32_t> by_size(sizes.size());
  for (std::uint32_t c = 0; c < sizes.size(); ++c) by_size[c] = c;
  std::stable_sort(by_size.begin(), by_size.end(), [&](auto a, auto b) { return sizes[a] > sizes[b]; });

  std::vector<std::uint32_t> community(n);
  std::vector<std::uint32_t> free_slots;  // one entry per free place in the communities open so far
  free_slots.reserve(n);
  std::size_t opened = 0;
  for (const std::uint32_t v : by_degree) {
    while (opened < by_size.size() && sizes[by_size[opened]] > internal_degree[v]) {
      free_slots.insert(free_slots.end(), sizes[by_size[opened]], by_size[opened]);
      ++opened;
    }
    if (free_slots.empty()) {
      throw UsageError("lfr: no community has room for a vertex with " + std::to_string(internal_degree[v]) +
                       " internal edges; raise max_community (or min_community) or lower max_degree");
    }
    const std::uint32_t pick = rng.below(static_cast<std::uint32_t>(free_slots.size()));
    community[v] = free_slots[pick];
    free_slots[pick] = free_slots.back();
    free_slots.pop_back();
  }
  return community;
}

std::uint64_t edge_key(std::uint32_t u, std::uint32_t v) {
  return u < v ? (std::uint64_t{u} << 32) | v : (std::uint64_t{v} << 32) | u;
}

// The set of edges placed so far, by edge_key: open addressing with linear probing in one flat array (a node
// per entry, as in std::unordered_set, made the generator three times slower). Erasing leaves a tombstone;
// erasures are rare (one per repairing swap).
class EdgeSet {
 public:
  explicit EdgeSet(std::uint64_t expected) { allocate(expected); }

  bool contains(std::uint64_t key) const {
    for (std::uint64_t i = home(key);; i = (i + 1) & mask_) {
      if (slots_[i] == key) return true;
      if (slots_[i] == empty) return false;
    }
  }

  void insert(std::uint64_t key) {  // key must be absent
    if (4 * (used_ + 1) > 3 * slots_.size()) grow();
    std::uint64_t i = home(key);
    while (slots_[i] != empty && slots_[i] != erased) i = (i + 1) & mask_;
    if (slots_[i] == empty) ++used_;
    slots_[i] = key;
  }

  void erase(std::uint64_t key) {
    for (std::uint64_t i = home(key);; i = (i + 1) & mask_) {
      if (slots_[i] == key) {
        slots_[i] = erased;
        return;
      }
      if (slots_[i] == empty) return;
    }
  }

 private:
  // Edge keys have both halves below 2^31, so these two never collide with one.
  static constexpr std::uint64_t empty = ~std::uint64_t{0};
  static constexpr std::uint64_t erased = ~std::uint64_t{0} - 1;

  std::uint64_t home(std::uint64_t key) const { return ((key ^ (key >> 29)) * 0xBF58476D1CE4E5B9ULL >> 17) & mask_; }

  void allocate(std::uint64_t expected) {
    std::uint64_t capacity = 16;
    while (capacity < 2 * expected) capacity *= 2;
    slots_.assign(capacity, empty);
    mask_ = capacity - 1;
    used_ = 0;
  }

  void grow() {
    std::vector<std::uint64_t> old = std::move(slots_);
    allocate(old.size());  // twice the old capacity
    for (const std::uint64_t key : old) {
      if (key != empty && key != erased) insert(key);
    }
  }

  std::vector<std::uint64_t> slots_;
  std::uint64_t mask_ = 0;
  std::uint64_t used_ = 0;  // slots that are not empty: keys and tombstones
};

struct Edge {
  std::uint32_t u, v;
};

// The configuration model on `stubs` (one entry per edge end), appended to `edges`; then every edge that is a
// self-loop, a repeat of an edge already in `present`, or not `allowed`, is swapped with a random good edge of the
// same model ((u,v),(x,y) -> (u,x),(v,y)), which keeps every degree. Edges still bad after a bounded number of
// tries are dropped. `present` holds every good edge of the graph so far.
template <class Allowed>
void configuration_model(std::vector<std::uint32_t>& stubs, Allowed allowed, std::vector<Edge>& edges,
                         EdgeSet& present, SplitMix64& rng) {
  constexpr int tries_per_edge = 200;
  for (auto i = static_cast<std::uint32_t>(stubs.size()); i > 1; --i) std::swap(stubs[i - 1], stubs[rng.below(i)]);
  const std::size_t begin = edges.size();
  for (std::size_t i = 0; i + 1 < stubs.size(); i += 2) edges.push_back({stubs[i], stubs[i + 1]});
  const std::size_t count = edges.size() - begin;
  if (count == 0) return;

  const auto acceptable = [&](std::uint32_t a, std::uint32_t b) {
    return a != b && allowed(a, b) && !present.contains(edge_key(a, b));
  };
  std::vector<std::uint8_t> good(count, 0);
  std::vector<std::size_t> bad;
  for (std::size_t i = 0; i < count; ++i) {
    const Edge e = edges[begin + i];
    if (acceptable(e.u, e.v)) {
      present.insert(edge_key(e.u, e.v));
      good[i] = 1;
    } else {
      bad.push_back(i);
    }
  }

  std::vector<std::uint8_t> dropped(count, 0);
  bool any_dropped = false;
  for (const std::size_t i : bad) {
    bool fixed = false;
    for (int attempt = 0; attempt < tries_per_edge && !fixed; ++attempt) {
      Edge& e = edges[begin + i];
      if (acceptable(e.u, e.v)) {  // an earlier swap may have freed this pair
        present.insert(edge_key(e.u, e.v));
        fixed = true;
        break;
      }
      const std::size_t j = rng.below(static_cast<std::uint32_t>(count));
      if (!good[j]) continue;
      Edge& partner = edges[begin + j];
      std::uint32_t x = partner.u, y = partner.v;
      if (rng.next() & 1) std::swap(x, y);
      if (!acceptable(e.u, x) || !acceptable(e.v, y) || edge_key(e.u, x) == edge_key(e.v, y)) continue;
      present.erase(edge_key(partner.u, partner.v));
      present.insert(edge_key(e.u, x));
      present.insert(edge_key(e.v, y));
      partner = {e.v, y};
      e = {e.u, x};
      fixed = true;
    }
    if (fixed) {
      good[i] = 1;
    } else {
      dropped[i] = 1;
      any_dropped = true;
    }
  }
  if (any_dropped) {
    std::size_t kept = begin;
    for (std::size_t i = 0; i < count; ++i) {
      if (!dropped[i]) edges[kept++] = edges[begin + i];
    }
    edges.resize(kept);
  }
}

}  // namespace

LfrGraph lfr(const LfrOptions& o) {
  validate(o);
  SplitMix64 rng(o.seed);
  std::vector<std::uint32_t> degree = draw_degrees(o, rng);
  const std::vector<std::uint32_t> sizes = draw_community_sizes(o, rng);

  // External degree mu*k, rounded up with the probability of its fractional part: unbiased for every vertex.
  std::vector<std::uint32_t> internal_degree(o.n), external_degree(o.n);
  for (std::uint32_t v = 0; v < o.n; ++v) {
    const double share = o.mixing * degree[v];
    auto external = static_cast<std::uint32_t>(std::floor(share));
    if (rng.uniform() < share - external) ++external;
    external_degree[v] = std::min(external, degree[v]);
    internal_degree[v] = degree[v] - external_degree[v];
  }

  LfrGraph out;
  out.n = o.n;
  out.community = assign_communities(internal_degree, sizes, o.max_degree, rng);

  std::vector<std::vector<std::uint32_t>> members(sizes.size());
  for (std::uint32_t v = 0; v < o.n; ++v) members[out.community[v]].push_back(v);

  // Each community's internal stubs, and the external stubs, must pair up. An odd total is fixed by adding or
  // removing one stub of a random vertex (up or down at random), on the internal side for a community and on
  // the external side for the rest: degrees move by one, the split between inside and outside stays as drawn.
  const auto adjust_one = [&](const std::vector<std::uint32_t>& candidates, std::vector<std::uint32_t>& side,
                              std::uint32_t side_cap) {
    const auto size = static_cast<std::uint32_t>(candidates.size());
    const bool prefer_up = rng.next() & 1;
    for (std::uint32_t tried = 0, first = rng.below(size); tried < 2 * size; ++tried) {
      const std::uint32_t v = candidates[(first + tried) % size];
      const bool up = (tried < size) == prefer_up;  // one pass in the preferred direction, then the other
      if (up && degree[v] < o.max_degree && side[v] + 1 <= side_cap) {
        ++side[v];
        ++degree[v];
        return;
      }
      if (!up && side[v] > 0 && degree[v] > 1) {
        --side[v];
        --degree[v];
        return;
      }
    }
  };
  for (std::uint32_t c = 0; c < sizes.size(); ++c) {
    std::uint64_t stubs = 0;
    for (const auto v : members[c]) stubs += internal_degree[v];
    if (stubs % 2 == 1) adjust_one(members[c], internal_degree, static_cast<std::uint32_t>(members[c].size()) - 1);
  }
  std::uint64_t external_total = 0;
  for (const auto d : external_degree) external_total += d;
  if (external_total % 2 == 1) {
    std::vector<std::uint32_t> everyone(o.n);
    for (std::uint32_t v = 0; v < o.n; ++v) everyone[v] = v;
    adjust_one(everyone, external_degree, o.max_degree);
  }

  std::uint64_t total_degree = 0;
  for (const auto d : degree) total_degree += d;
  std::vector<Edge> edges;
  edges.reserve(total_degree / 2);
  EdgeSet present(total_degree / 2);
  std::vector<std::uint32_t> stubs;
  const auto anywhere = [](std::uint32_t, std::uint32_t) { return true; };
  for (std::uint32_t c = 0; c < sizes.size(); ++c) {
    stubs.clear();
    for (const auto v : members[c]) stubs.insert(stubs.end(), internal_degree[v], v);
    configuration_model(stubs, anywhere, edges, present, rng);
  }
  stubs.clear();
  for (std::uint32_t v = 0; v < o.n; ++v) stubs.insert(stubs.end(), external_degree[v], v);
  const auto across = [&](std::uint32_t a, std::uint32_t b) { return out.community[a] != out.community[b]; };
  configuration_model(stubs, across, edges, present, rng);

  // Sorted by (src, dst) through a counting pass on src and a sort of each short row: a comparison sort of all
  // edges took a fifth of the generator's time.
  std::vector<std::uint64_t> row_start(std::size_t{o.n} + 1, 0);
  for (auto& e : edges) {
    if (e.u > e.v) std::swap(e.u, e.v);
    ++row_start[e.u + std::size_t{1}];
  }
  for (std::uint32_t v = 0; v < o.n; ++v) row_start[v + 1] += row_start[v];
  out.src.resize(edges.size());
  out.dst.resize(edges.size());
  {
    std::vector<std::uint64_t> cursor(row_start.begin(), row_start.end() - 1);
    for (const auto& e : edges) out.dst[cursor[e.u]++] = e.v;
  }
  std::vector<std::uint32_t> realised_degree(o.n, 0), realised_external(o.n, 0);
  for (std::uint32_t u = 0; u < o.n; ++u) {
    const auto begin = out.dst.begin() + static_cast<std::ptrdiff_t>(row_start[u]);
    const auto end = out.dst.begin() + static_cast<std::ptrdiff_t>(row_start[u + 1]);
    std::sort(begin, end);
    for (auto it = begin; it != end; ++it) {
      out.src[static_cast<std::size_t>(it - out.dst.begin())] = u;
      const std::uint32_t v = *it;
      ++realised_degree[u];
      ++realised_degree[v];
      if (out.community[u] != out.community[v]) {
        ++realised_external[u];
        ++realised_external[v];
      }
    }
  }
  double mixing_sum = 0.0;
  std::uint32_t with_edges = 0;
  for (std::uint32_t v = 0; v < o.n; ++v) {
    if (realised_degree[v] == 0) continue;
    mixing_sum += static_cast<double>(realised_external[v]) / realised_degree[v];
    ++with_edges;
  }
  out.realised_mixing = with_edges > 0 ? mixing_sum / with_edges : 0.0;
  return out;
}

}  // namespace cibgraph::datasets
