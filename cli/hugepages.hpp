#pragma once
// Transparent huge pages for the CLI's large arrays (pair records, edge columns, sort buffers).

namespace cibgraph::cli {

// At 10^7 events the co-action stages work through gigabytes of freshly allocated memory; with 4 kB pages a third
// of their time went to page faults and TLB misses. glibc (2.35+) backs its large allocations with transparent huge
// pages when the tunable glibc.malloc.hugetlb=1 is set, and tunables are read only at start-up, so the CLI
// re-executes itself once with the tunable added to GLIBC_TUNABLES. It does nothing when the tunable is already set
// (by the user or by the first start), when CIBGRAPH_HUGEPAGES=0, or when re-executing fails (the run then goes on
// with ordinary pages). Outputs are the same either way; only speed differs.
// The same start also sets glibc.malloc.mmap_max=0 and a 1 TiB glibc.malloc.trim_threshold (unless the user set
// them): large blocks then come from the heap and stay there when freed, so each stage reuses the pages the last
// one touched instead of faulting in fresh, zeroed ones. On a virtual machine a fresh page costs far more than a
// reused one (measured here: 0.3-0.5 GB/s fresh against 11 GB/s reused); at 10^7 events this cut system time from
// 19-21 s to 7-8 s, for about 3% more peak memory (the process keeps what it freed until it exits).
void use_transparent_huge_pages(char** argv);

}  // namespace cibgraph::cli
