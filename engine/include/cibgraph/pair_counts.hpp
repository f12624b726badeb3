#pragma once
// Counting pairs of delays within a window: the inner kernel of the null model (null_model.cpp), which needs
// P(|D_a - D_b| <= w) exactly for every co-acting pair of accounts, at the window and at its halvings.
//
// count_pairs_within(xs, nx, ys, ny, window, scales, count) sets, for s < scales,
//   count[s] = #{(i, j) : |xs[i] - ys[j]| <= window >> s}
// for two lists sorted ascending (duplicates allowed, any sign). Exact integer counts: every kernel gives the same
// numbers. Kernels:
//   * Portable: every pair compared for short lists (branch-free, vectorised by the compiler), a sweep with two
//     pointers per bound for longer ones, binary searches when one list is over 16 times the other.
//   * Avx512: short lists (the longer at most 256, at most 64 vector steps at one scale and 256 at several) are
//     compared all against all, sixteen at a time in 32-bit lanes relative to the smaller first element, when
//     their span and the window fit in 30 bits. Otherwise, for each element of the shorter list, the band of the
//     other list within the window, compared eight at a time with masked AVX-512 instructions (the band's start
//     moves forward monotonically, galloping when it is more than 64 elements ahead, so a pair of sorted lists
//     costs about n_short * (band / 8 + 1) vector steps plus at most one pass over the longer list).
//   * Avx2: the same band walk four delays at a time (no mask registers: lanes past the end are cleared).
//   * Auto: the widest the processor has (checked once): Avx512, else Avx2, else Portable; the environment
//     variable CIBGRAPH_PAIR_KERNEL=portable|avx2|avx512 picks one instead (for measurements; ignored when the
//     processor lacks it).
// Cost: O(nx + ny) for the sweep, O(nx * ny / 8) at worst for the band. No allocation.
#include <cstddef>
#include <cstdint>

namespace cibgraph {

enum class PairCountKernel { Auto, Portable, Avx2, Avx512 };

// Whether this processor runs the Avx2 / Avx512 kernel.
bool avx2_available();
bool avx512_available();

// Largest number of scales (window, window/2, window/4, window/8).
inline constexpr int kMaxPairCountScales = 4;

// See above; scales in [1, kMaxPairCountScales]. Asking for a kernel the processor lacks throws.
void count_pairs_within(const std::int64_t* xs, std::size_t nx, const std::int64_t* ys, std::size_t ny,
                        std::int64_t window, int scales, std::uint64_t* count,
                        PairCountKernel kernel = PairCountKernel::Auto);

}  // namespace cibgraph
