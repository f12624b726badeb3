// The edges of a dense layer made account by account (LayerEdges::by_rows): each account's row of pair records made
// from its events, sorted in cache and aggregated straight into its place; no array of every record.
#include <omp.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

#include "cibgraph/coaction.hpp"
#include "coaction_internal.hpp"

namespace cibgraph::detail {

namespace {

// The rows' index: each account's events (their places in evs, in order), each key's group, and the blocks of
// accounts the passes share out.
struct AccountRows {
  explicit AccountRows(const LayerProjection& p)
      : evs(p.evs), group_start(p.group_start), group_bound(p.group_bound), n_accounts(p.ev.accounts.size()) {
    const std::size_t groups = p.groups;
    const std::vector<std::uint32_t>& group_key = p.group_key;
    account_start.assign(n_accounts + 1, 0);
    for (const auto& e : evs) ++account_start[e.account + 1];
    std::partial_sum(account_start.begin(), account_start.end(), account_start.begin());
    account_events.resize(evs.size());
    group_of_key.resize(groups > 0 ? static_cast<std::size_t>(group_key.back()) + 1 : 0);
    for (std::size_t g = 0; g < groups; ++g) group_of_key[group_key[g]] = static_cast<std::uint32_t>(g);
    {
      std::vector<std::uint64_t> next(account_start.begin(), account_start.end() - 1);
      for (std::size_t i = 0; i < evs.size(); ++i) account_events[next[evs[i].account]++] = static_cast<std::uint32_t>(i);
    }
    n_blocks = static_cast<std::size_t>((n_accounts + kBlockAccounts - 1) / kBlockAccounts);
  }

  // Calls f(b, group, t_b - t_a, t_a) for every record of a's row, in the order of a's events.
  template <class F>
  void for_each_record(std::uint32_t a, F&& f) const {
    for (auto k = account_start[a]; k < account_start[a + 1]; ++k) {
      const std::uint64_t i = account_events[k];
      const std::uint32_t g = group_of_key[evs[i].key];
      const std::int64_t d = group_bound[g];
      if (d < 0) continue;
      const std::int64_t ta = evs[i].time;
      for (std::uint64_t j = i; j > group_start[g] && evs[j - 1].time >= ta - d; --j)
        if (evs[j - 1].account > a) f(evs[j - 1].account, g, evs[j - 1].time - ta, ta);
      for (std::uint64_t j = i + 1; j < group_start[g + 1] && evs[j].time <= ta + d; ++j)
        if (evs[j].account > a) f(evs[j].account, g, evs[j].time - ta, ta);
    }
  }

  std::pair<std::size_t, std::size_t> block_range(std::size_t block) const {
    const std::size_t first = block * kBlockAccounts;
    return std::pair{first, std::min(n_accounts, first + kBlockAccounts)};
  }

  static constexpr std::size_t kBlockAccounts = 256;
  const std::vector<LayerEvent>& evs;
  const std::vector<std::uint64_t>& group_start;
  const std::vector<std::int64_t>& group_bound;
  const std::size_t n_accounts;
  std::vector<std::uint64_t> account_start;
  std::vector<std::uint32_t> account_events;
  std::vector<std::uint32_t> group_of_key;
  std::size_t n_blocks = 0;
};

// First pass: each block's edges and evidence rows (distinct b's, and each b's records up to the evidence cap).
void count_rows(LayerProjection& p, const AccountRows& rows, std::vector<std::uint64_t>& edge_base,
                std::vector<std::uint64_t>& evidence_base) {
  const CoactionOptions& opt = p.opt;
  const int threads = p.threads;
  SweepControl& control = p.control;
#pragma omp parallel num_threads(threads)
  {
    std::vector<std::uint32_t> records_of(rows.n_accounts, 0);  // per b: records in the current row
    std::vector<std::uint32_t> touched;
#pragma omp for schedule(dynamic, 4)
    for (std::int64_t bi = 0; bi < static_cast<std::int64_t>(rows.n_blocks); ++bi) {
      if (control.stop.load(std::memory_order_relaxed)) continue;
      control.guarded([&] {
        const auto [first, last] = rows.block_range(static_cast<std::size_t>(bi));
        std::uint64_t edges = 0, evidence = 0;
        for (std::size_t a = first; a < last; ++a) {
          rows.for_each_record(static_cast<std::uint32_t>(a), [&](std::uint32_t b, std::uint32_t, std::int64_t, std::int64_t) {
            if (records_of[b]++ == 0) touched.push_back(b);
          });
          edges += touched.size();
          for (auto b : touched) {
            evidence += std::min<std::uint64_t>(records_of[b], opt.evidence_per_edge);
            records_of[b] = 0;
          }
          touched.clear();
        }
        edge_base[static_cast<std::size_t>(bi) + 1] = edges;
        evidence_base[static_cast<std::size_t>(bi) + 1] = evidence;
      });
    }
  }
  control.rethrow_or_stop();
}

// A row's records sorted by b, then within each b: a long row is radix-sorted by b; in a short one the records are
// counted per b, the distinct b's sorted and the records scattered into their b's bucket; then each b's records (a
// pair's few co-actions) are sorted on their own. Records that compare equal are identical, so this is the order
// std::sort gives the whole row. One per thread: its scratch is kept between rows.
struct RowSorter {
  explicit RowSorter(std::size_t n_accounts) : bucket_of(n_accounts, 0) {
    while (b_bits < 32 && (std::uint64_t{1} << b_bits) < n_accounts) ++b_bits;
  }

  // The row's records in order (in `row` or in `sorted`).
  PairRecord* sort(std::vector<PairRecord>& row) {
    PairRecord* ordered;  // the row's records sorted by b
    if (row.size() >= kRadixRow) {
      // A long row: a stable least-significant-digit radix sort by b (kRadixBits of b per pass, the counts in
      // cache, where the per-b buckets below would touch a random entry of an array over all accounts for
      // every record).
      sorted.resize(row.size());
      PairRecord* from = row.data();
      PairRecord* to = sorted.data();
      for (unsigned shift = 0; shift < b_bits; shift += kRadixBits) {
        std::uint32_t count[(1u << kRadixBits) + 1] = {};
        for (std::size_t k = 0; k < row.size(); ++k) ++count[((from[k].b >> shift) & kRadixMask) + 1];
        for (std::uint32_t d = 0; d < (1u << kRadixBits); ++d) count[d + 1] += count[d];
        for (std::size_t k = 0; k < row.size(); ++k) to[count[(from[k].b >> shift) & kRadixMask]++] = from[k];
        std::swap(from, to);
      }
      ordered = from;
    } else {
      // A short row: the records counted per b, the distinct b's sorted, the records scattered into their
      // b's bucket (in row order, as the radix sort leaves them).
      for (const PairRecord& r : row)
        if (bucket_of[r.b]++ == 0) bs.push_back(r.b);
      std::sort(bs.begin(), bs.end());
      std::uint32_t next = 0;  // bucket_of[b]: from b's count to the start of its bucket
      for (const std::uint32_t b : bs) {
        const std::uint32_t records = bucket_of[b];
        bucket_of[b] = next;
        next += records;
      }
      sorted.resize(row.size());
      for (const PairRecord& r : row) sorted[bucket_of[r.b]++] = r;
      for (const std::uint32_t b : bs) bucket_of[b] = 0;
      bs.clear();
      ordered = sorted.data();
    }
    // Then each b's records (a pair's few co-actions) sorted on their own.
    const std::size_t n_records = row.size();
    for (std::size_t k = 1, begin = 0; k <= n_records; ++k)
      if (k == n_records || ordered[k].b != ordered[begin].b) {
        if (k - begin > 1) std::sort(ordered + begin, ordered + k);
        begin = k;
      }
    return ordered;
  }

  static constexpr std::size_t kRadixRow = 64;  // records from which a row is radix-sorted (below: bucketed)
  static constexpr unsigned kRadixBits = 11;
  static constexpr std::uint32_t kRadixMask = (1u << kRadixBits) - 1;
  unsigned b_bits = 1;
  std::vector<PairRecord> sorted;
  std::vector<std::uint32_t> bucket_of;  // per b: records, then the next slot of its bucket
  std::vector<std::uint32_t> bs;         // the row's distinct b's
};

// Second pass: each row made, sorted (RowSorter) and aggregated into its place.
void place_rows(LayerProjection& p, const AccountRows& rows, const std::vector<std::uint64_t>& edge_base,
                const std::vector<std::uint64_t>& evidence_base, const Aggregator& aggregate) {
  LayerEdges& out = p.out;
  const int threads = p.threads;
  SweepControl& control = p.control;
#pragma omp parallel num_threads(threads)
  {
    const auto t = static_cast<std::size_t>(omp_get_thread_num());
    std::vector<PairRecord> row;
    RowSorter sorter(rows.n_accounts);
#pragma omp for schedule(dynamic, 4)
    for (std::int64_t bi = 0; bi < static_cast<std::int64_t>(rows.n_blocks); ++bi) {
      if (control.stop.load(std::memory_order_relaxed)) continue;
      control.guarded([&] {
        const auto [first, last] = rows.block_range(static_cast<std::size_t>(bi));
        Place place{out, edge_base[static_cast<std::size_t>(bi)], evidence_base[static_cast<std::size_t>(bi)]};
        for (std::size_t ai = first; ai < last; ++ai) {
          const auto a = static_cast<std::uint32_t>(ai);
          row.clear();
          rows.for_each_record(a, [&](std::uint32_t b, std::uint32_t g, std::int64_t delay, std::int64_t ta) {
            row.push_back({a, b, g, static_cast<std::int32_t>(delay), ta});
          });
          if (row.empty()) continue;
          const PairRecord* ordered = sorter.sort(row);
          const std::size_t n_records = row.size();
          std::size_t k = 0;
          aggregate([&](PairRecord& rec) {
            if (k >= n_records) return false;
            rec = ordered[k++];
            return true;
          }, place);
        }
        control.progress(t, rows.account_start[last] - rows.account_start[first]);
      });
    }
  }
}

}  // namespace

// In memory, account by account: a's row holds one record per pair of events on a key within the key's bound,
// one of them a's and the other of an account b > a: (a, b, key, t_b - t_a, t_a), exactly the records the sweep
// makes for those pairs. Each of a's events finds them by walking its key's time-sorted events both ways up to the
// bound. Rows go in blocks of accounts, in parallel: a first pass counts each block's edges and evidence rows, every
// column is then allocated once at its final size (the columns shared between the threads, so their first-touch
// page faults run side by side), and a second pass sorts each row in cache and aggregates it straight into its
// place. Records that compare equal are identical, so the result is the same for any thread count; no array of
// every record, and no sort of it, is ever made.
void aggregate_rows(LayerProjection& p, const Aggregator& aggregate) {
  const AccountRows rows(p);
  std::vector<std::uint64_t> edge_base(rows.n_blocks + 1, 0), evidence_base(rows.n_blocks + 1, 0);
  count_rows(p, rows, edge_base, evidence_base);
  std::partial_sum(edge_base.begin(), edge_base.end(), edge_base.begin());
  std::partial_sum(evidence_base.begin(), evidence_base.end(), evidence_base.begin());
  size_columns(p, edge_base.back(), evidence_base.back());
  place_rows(p, rows, edge_base, evidence_base, aggregate);
  p.control.rethrow_or_stop();
  p.control.done();
}


}  // namespace cibgraph::detail
