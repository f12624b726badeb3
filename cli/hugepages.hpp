#pragma once
// Transparent huge pages for the CLI's large arrays (pair records, edge columns, sort buffers).

namespace cibgraph::cli {

// At 10^7 events the co-action stages work through gigabytes of freshly allocated memory; with 4 kB pages a third
// of their time went to page faults and TLB misses. glibc (2.35+) backs its large allocations with transparent huge
// pages when the tunable glibc.malloc.hugetlb=1 is set, and tunables are read only at start-up, so the CLI
// re-executes itself once with the tunable added to GLIBC_TUNABLES. It does nothing when the tunable is already set
// (by the user or by the first start), when CIBGRAPH_HUGEPAGES=0, or when re-executing fails (the run then goes on
// with ordinary pages). Outputs are the same either way; only speed differs.
void use_transparent_huge_pages(char** argv);

}  // namespace cibgraph::cli
