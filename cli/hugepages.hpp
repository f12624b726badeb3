#pragma once
// The process settings the CLI needs before anything runs, read by glibc and libgomp only at start-up: transparent
// huge pages for the large arrays (pair records, edge columns, sort buffers) and OpenMP threads that sleep rather than
// spin while they wait. prepare_process re-executes the CLI once when it adds either to the environment.

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
//
// OpenMP: libgomp's default lets a waiting thread spin (about 300,000 rounds) before it sleeps. With every thread on
// a core of its own that saves a few microseconds a barrier; but on a machine where other processes hold the cores
// (a laptop compiling, a shared server, two cibgraph runs at once), the spinning threads burn the time slices the
// thread they wait for needs, and small parallel loops ran 10-20x slower than on one thread (PageRank on a
// 37k-vertex graph: 0.22 s against 0.011 s; bench/contention/). So the CLI sets OMP_WAIT_POLICY=passive unless the
// user set OMP_WAIT_POLICY or GOMP_SPINCOUNT; the algorithms also keep small work on one thread (power_iteration.hpp).
void prepare_process(char** argv);

}  // namespace cibgraph::cli
