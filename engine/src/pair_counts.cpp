#include "cibgraph/pair_counts.hpp"

// GCC 12's AVX-512 intrinsics start from _mm512_undefined (a self-initialised vector), which -Wuninitialized
// reports at every use; the values are never read.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <utility>

#include "cibgraph/error.hpp"

namespace cibgraph {

namespace {

constexpr int S = kMaxPairCountScales;
static_assert(S == 4);

// Every pair compared: branch-free, so the compiler vectorises it (one clone per instruction set, chosen at load
// time). For short lists this beats the sweep below, whose loop exits mispredict at every step.
__attribute__((target_clones("avx2", "default"))) void count_all_pairs(const std::int64_t* xs, std::size_t nx,
                                                                       const std::int64_t* ys, std::size_t ny,
                                                                       std::int64_t window, std::uint64_t* count) {
  const std::int64_t w0 = window, w1 = window >> 1, w2 = window >> 2, w3 = window >> 3;
  std::uint64_t c0 = 0, c1 = 0, c2 = 0, c3 = 0;
  for (std::size_t i = 0; i < nx; ++i) {
    const std::int64_t x = xs[i];
#pragma omp simd reduction(+ : c0, c1, c2, c3)
    for (std::size_t j = 0; j < ny; ++j) {
      std::int64_t d = x - ys[j];
      d = d < 0 ? -d : d;
      c0 += static_cast<std::uint64_t>(d <= w0);
      c1 += static_cast<std::uint64_t>(d <= w1);
      c2 += static_cast<std::uint64_t>(d <= w2);
      c3 += static_cast<std::uint64_t>(d <= w3);
    }
  }
  count[0] = c0;
  count[1] = c1;
  count[2] = c2;
  count[3] = c3;
}

void count_portable(const std::int64_t* xs, std::size_t nx, const std::int64_t* ys, std::size_t ny,
                    std::int64_t window, int scales, std::uint64_t* count) {
  constexpr std::size_t kAllPairs = 4096;  // pairs below which comparing all of them is faster than the sweep
  if (nx * ny <= kAllPairs) {
    std::uint64_t all[S];
    count_all_pairs(xs, nx, ys, ny, window, all);
    std::copy_n(all, scales, count);
  } else if (nx * 16 < ny || ny * 16 < nx) {
    if (ny < nx) {
      std::swap(xs, ys);
      std::swap(nx, ny);
    }
    for (const std::int64_t* x = xs; x != xs + nx; ++x) {
      // The widest window first; each narrower one lies inside it.
      const std::int64_t* lo = std::lower_bound(ys, ys + ny, *x - window);
      const std::int64_t* hi = std::upper_bound(lo, ys + ny, *x + window);
      count[0] += static_cast<std::uint64_t>(hi - lo);
      for (int s = 1; s < scales; ++s) {
        const std::int64_t w = window >> s;
        lo = std::lower_bound(lo, hi, *x - w);
        hi = std::upper_bound(lo, hi, *x + w);
        count[s] += static_cast<std::uint64_t>(hi - lo);
      }
    }
  } else {
    std::size_t lo[S] = {0, 0, 0, 0}, hi[S] = {0, 0, 0, 0};
    for (std::size_t i = 0; i < nx; ++i)
      for (int s = 0; s < scales; ++s) {
        const std::int64_t w = window >> s;
        while (lo[s] < ny && ys[lo[s]] < xs[i] - w) ++lo[s];
        if (hi[s] < lo[s]) hi[s] = lo[s];
        while (hi[s] < ny && ys[hi[s]] <= xs[i] + w) ++hi[s];
        count[s] += hi[s] - lo[s];
      }
  }
}

// The first position at or after `from` in the sorted ys whose element is not below the bound (OrEqual: not below
// or equal), eight elements per step: the elements of a step that are below it are a prefix, so their count is how
// far to move. When the bound lies more than 64 elements ahead (a short list against a hyperactive account's long
// one), galloping (steps doubling from 64) and a binary search find it in O(log distance) instead of distance / 8
// steps.
template <bool OrEqual>
__attribute__((target("avx512f"))) inline std::size_t advance_avx512(const std::int64_t* ys, std::size_t ny,
                                                                      std::size_t from, std::int64_t value) {
  auto is_below = [value](std::int64_t y) { return OrEqual ? y <= value : y < value; };
  if (from + 64 < ny && is_below(ys[from + 63])) {
    std::size_t lo = from + 64, step = 64;  // every element before lo is below the bound
    while (lo + step < ny && is_below(ys[lo + step - 1])) {
      lo += step;
      step *= 2;
    }
    const std::int64_t* first = ys + lo;
    const std::int64_t* last = ys + std::min(ny, lo + step);
    const std::int64_t* found = OrEqual ? std::upper_bound(first, last, value) : std::lower_bound(first, last, value);
    return static_cast<std::size_t>(found - ys);
  }
  const __m512i bound = _mm512_set1_epi64(value);
  while (from < ny) {
    const __mmask8 m = ny - from >= 8 ? static_cast<__mmask8>(0xFF) : static_cast<__mmask8>((1u << (ny - from)) - 1);
    const __m512i y = _mm512_maskz_loadu_epi64(m, ys + from);
    const __mmask8 below = OrEqual ? _mm512_mask_cmple_epi64_mask(m, y, bound) : _mm512_mask_cmplt_epi64_mask(m, y, bound);
    const int n = __builtin_popcount(below);
    from += static_cast<std::size_t>(n);
    if (n < 8) break;
  }
  return from;
}

// Short lists, every pair compared: sixteen at a time in 32-bit lanes, each delay taken relative to the smaller
// first one. Branch-free, where the band walk's loop exits mispredict at about every step: on the planted 10^7
// scenario's pairs, about a third less time at four scales and a tenth at one. nx <= ny. Counts nothing and returns
// false when the lists are too long for it to pay (more than max_steps vector steps, or ny over 256) or their span
// and the window do not fit in 30 bits (about 6 days of delays).
__attribute__((target("avx512f"))) bool count_short_avx512(const std::int64_t* xs, std::size_t nx,
                                                           const std::int64_t* ys, std::size_t ny, std::int64_t window,
                                                           int scales, std::size_t max_steps, std::uint64_t* count) {
  constexpr std::size_t kMaxShort = 256;
  constexpr std::int64_t kSpan = std::int64_t{1} << 30;
  const std::size_t blocks = (ny + 15) / 16;
  if (ny > kMaxShort || nx * blocks > max_steps) return false;
  const std::int64_t base = std::min(xs[0], ys[0]), top = std::max(xs[nx - 1], ys[ny - 1]);
  if (static_cast<std::uint64_t>(top) - static_cast<std::uint64_t>(base) >= kSpan || window >= kSpan) return false;
  alignas(64) std::int32_t y32[kMaxShort];
  for (std::size_t j = 0; j < ny; ++j) y32[j] = static_cast<std::int32_t>(ys[j] - base);
  // Padding farther than the window from every x (below 2^31: the span and the window are each below 2^30).
  const auto far = static_cast<std::int32_t>(top - base + window + 1);
  for (std::size_t j = ny; j < blocks * 16; ++j) y32[j] = far;
  const __m512i w0 = _mm512_set1_epi32(static_cast<std::int32_t>(window));
  std::uint64_t c0 = 0;
  if (scales == 1) {
    for (std::size_t i = 0; i < nx; ++i) {
      const __m512i vx = _mm512_set1_epi32(static_cast<std::int32_t>(xs[i] - base));
      for (std::size_t k = 0; k < blocks; ++k) {
        const __m512i d = _mm512_abs_epi32(_mm512_sub_epi32(vx, _mm512_load_si512(y32 + 16 * k)));
        c0 += static_cast<std::uint64_t>(__builtin_popcount(_mm512_cmple_epi32_mask(d, w0)));
      }
    }
    count[0] = c0;
    return true;
  }
  const __m512i w1 = _mm512_set1_epi32(static_cast<std::int32_t>(window >> 1)),
                w2 = _mm512_set1_epi32(static_cast<std::int32_t>(window >> 2)),
                w3 = _mm512_set1_epi32(static_cast<std::int32_t>(window >> 3));
  std::uint64_t c1 = 0, c2 = 0, c3 = 0;
  for (std::size_t i = 0; i < nx; ++i) {
    const __m512i vx = _mm512_set1_epi32(static_cast<std::int32_t>(xs[i] - base));
    for (std::size_t k = 0; k < blocks; ++k) {
      const __m512i d = _mm512_abs_epi32(_mm512_sub_epi32(vx, _mm512_load_si512(y32 + 16 * k)));
      c0 += static_cast<std::uint64_t>(__builtin_popcount(_mm512_cmple_epi32_mask(d, w0)));
      c1 += static_cast<std::uint64_t>(__builtin_popcount(_mm512_cmple_epi32_mask(d, w1)));
      c2 += static_cast<std::uint64_t>(__builtin_popcount(_mm512_cmple_epi32_mask(d, w2)));
      c3 += static_cast<std::uint64_t>(__builtin_popcount(_mm512_cmple_epi32_mask(d, w3)));
    }
  }
  const std::uint64_t all[S] = {c0, c1, c2, c3};
  std::copy_n(all, scales, count);
  return true;
}

// For each x of the shorter list, the band [x - window, x + window] of the other. At one scale, the band's two ends
// (both only move forward) give its size. At several, the band is walked eight at a time and each element tested
// against every scale's bound. Lanes past the end of the list are masked out of the loads and the compares.
__attribute__((target("avx512f"))) void count_avx512(const std::int64_t* xs, std::size_t nx, const std::int64_t* ys,
                                                     std::size_t ny, std::int64_t window, int scales,
                                                     std::uint64_t* count) {
  if (ny < nx) {
    std::swap(xs, ys);
    std::swap(nx, ny);
  }
  // Short lists: all pairs (up to 64 vector steps at one scale, 256 at several, where it measured faster).
  if (count_short_avx512(xs, nx, ys, ny, window, scales, scales == 1 ? 64 : 256, count)) return;
  std::size_t start = 0;  // first element of ys that can lie within the window of the current x
  if (scales == 1) {
    std::size_t end = 0;  // first element past x + window
    std::uint64_t c = 0;
    for (std::size_t i = 0; i < nx; ++i) {
      start = advance_avx512<false>(ys, ny, start, xs[i] - window);
      end = advance_avx512<true>(ys, ny, std::max(start, end), xs[i] + window);
      c += end - start;
    }
    count[0] = c;
    return;
  }
  const __m512i w0 = _mm512_set1_epi64(window), w1 = _mm512_set1_epi64(window >> 1),
                w2 = _mm512_set1_epi64(window >> 2), w3 = _mm512_set1_epi64(window >> 3);
  const __m512i minus_one = _mm512_set1_epi64(-1);
  __m512i c0 = _mm512_setzero_si512(), c1 = c0, c2 = c0, c3 = c0;
  for (std::size_t i = 0; i < nx; ++i) {
    const std::int64_t x = xs[i];
    start = advance_avx512<false>(ys, ny, start, x - window);
    const __m512i vx = _mm512_set1_epi64(x);
    for (std::size_t j = start; j < ny && ys[j] <= x + window; j += 8) {
      const __mmask8 m = ny - j >= 8 ? static_cast<__mmask8>(0xFF) : static_cast<__mmask8>((1u << (ny - j)) - 1);
      const __m512i d = _mm512_abs_epi64(_mm512_sub_epi64(vx, _mm512_maskz_loadu_epi64(m, ys + j)));
      // Subtracting -1 in the lanes within each bound counts them.
      c0 = _mm512_mask_sub_epi64(c0, _mm512_mask_cmple_epi64_mask(m, d, w0), c0, minus_one);
      c1 = _mm512_mask_sub_epi64(c1, _mm512_mask_cmple_epi64_mask(m, d, w1), c1, minus_one);
      c2 = _mm512_mask_sub_epi64(c2, _mm512_mask_cmple_epi64_mask(m, d, w2), c2, minus_one);
      c3 = _mm512_mask_sub_epi64(c3, _mm512_mask_cmple_epi64_mask(m, d, w3), c3, minus_one);
    }
  }
  const std::uint64_t all[S] = {static_cast<std::uint64_t>(_mm512_reduce_add_epi64(c0)),
                                static_cast<std::uint64_t>(_mm512_reduce_add_epi64(c1)),
                                static_cast<std::uint64_t>(_mm512_reduce_add_epi64(c2)),
                                static_cast<std::uint64_t>(_mm512_reduce_add_epi64(c3))};
  std::copy_n(all, scales, count);
}

// The same band walk with AVX2: four delays per step; AVX2 has no 64-bit absolute value or mask registers, so
// |d| <= w is (d <= w) and (-d <= w), and the lanes past the end of the list are cleared by a lane mask.
__attribute__((target("avx2"))) void count_avx2(const std::int64_t* xs, std::size_t nx, const std::int64_t* ys,
                                                std::size_t ny, std::int64_t window, int scales, std::uint64_t* count) {
  if (ny < nx) {
    std::swap(xs, ys);
    std::swap(nx, ny);
  }
  const __m256i w[S] = {_mm256_set1_epi64x(window), _mm256_set1_epi64x(window >> 1), _mm256_set1_epi64x(window >> 2),
                        _mm256_set1_epi64x(window >> 3)};
  const __m256i neg_w[S] = {_mm256_set1_epi64x(-window), _mm256_set1_epi64x(-(window >> 1)),
                            _mm256_set1_epi64x(-(window >> 2)), _mm256_set1_epi64x(-(window >> 3))};
  const __m256i lane = _mm256_set_epi64x(3, 2, 1, 0);
  __m256i c[S] = {_mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256()};
  std::size_t start = 0;
  for (std::size_t i = 0; i < nx; ++i) {
    const std::int64_t x = xs[i];
    while (start < ny && ys[start] < x - window) ++start;
    const __m256i vx = _mm256_set1_epi64x(x);
    for (std::size_t j = start; j < ny && ys[j] <= x + window; j += 4) {
      const std::size_t left = ny - j;
      __m256i valid, y;
      if (left >= 4) {
        valid = _mm256_set1_epi64x(-1);
        y = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(ys + j));
      } else {
        valid = _mm256_cmpgt_epi64(_mm256_set1_epi64x(static_cast<std::int64_t>(left)), lane);
        y = _mm256_maskload_epi64(reinterpret_cast<const long long*>(ys + j), valid);
      }
      const __m256i d = _mm256_sub_epi64(vx, y);
      for (int s = 0; s < S; ++s) {
        const __m256i outside = _mm256_or_si256(_mm256_cmpgt_epi64(d, w[s]), _mm256_cmpgt_epi64(neg_w[s], d));
        c[s] = _mm256_sub_epi64(c[s], _mm256_andnot_si256(outside, valid));  // -1 in each lane within the bound
      }
    }
  }
  for (int s = 0; s < scales; ++s) {
    alignas(32) std::int64_t lanes[4];
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), c[s]);
    count[s] = static_cast<std::uint64_t>(lanes[0] + lanes[1] + lanes[2] + lanes[3]);
  }
}

// The kernel Auto uses: CIBGRAPH_PAIR_KERNEL=portable|avx2|avx512 when set (for measurements), else the widest
// the processor has.
PairCountKernel auto_kernel() {
  static const PairCountKernel chosen = [] {
    if (const char* env = std::getenv("CIBGRAPH_PAIR_KERNEL")) {
      const std::string name(env);
      if (name == "portable") return PairCountKernel::Portable;
      if (name == "avx2" && avx2_available()) return PairCountKernel::Avx2;
      if (name == "avx512" && avx512_available()) return PairCountKernel::Avx512;
    }
    if (avx512_available()) return PairCountKernel::Avx512;
    if (avx2_available()) return PairCountKernel::Avx2;
    return PairCountKernel::Portable;
  }();
  return chosen;
}

}  // namespace

bool avx2_available() {
  static const bool available = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
  }();
  return available;
}

bool avx512_available() {
  static const bool available = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") != 0;
  }();
  return available;
}

void count_pairs_within(const std::int64_t* xs, std::size_t nx, const std::int64_t* ys, std::size_t ny,
                        std::int64_t window, int scales, std::uint64_t* count, PairCountKernel kernel) {
  if (scales < 1 || scales > S) throw UsageError("count_pairs_within: scales must be 1 to 4");
  if (window < 0) throw UsageError("count_pairs_within: the window must be non-negative");
  std::fill_n(count, scales, 0);
  if (nx == 0 || ny == 0) return;
  if (kernel == PairCountKernel::Avx512 && !avx512_available())
    throw UsageError("count_pairs_within: this processor has no AVX-512");
  if (kernel == PairCountKernel::Avx2 && !avx2_available())
    throw UsageError("count_pairs_within: this processor has no AVX2");
  if (kernel == PairCountKernel::Auto) kernel = auto_kernel();
  switch (kernel) {
    case PairCountKernel::Avx512: count_avx512(xs, nx, ys, ny, window, scales, count); break;
    case PairCountKernel::Avx2: count_avx2(xs, nx, ys, ny, window, scales, count); break;
    default: count_portable(xs, nx, ys, ny, window, scales, count); break;
  }
}

}  // namespace cibgraph

#pragma GCC diagnostic pop
