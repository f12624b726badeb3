#pragma once
// Parallel production, serial consumption in order: the one pattern behind the store's chunk writer and the CSV
// writers. Internal to cibgraph (cibgraph_core_internal), not installed.
#include <atomic>
#include <cstdint>
#include <exception>

namespace cibgraph::internal {

// Runs produce(i, item) for i in [0, count) on every thread (OpenMP, one index at a time per thread) and
// consume(i, item) in index order, one call at a time (an ordered region), so whatever consume writes is what a
// serial loop writes, while producing the next items overlaps it. `item` is a fresh Item per index. The first
// exception thrown by either stops the remaining indices and is rethrown; consume returning false stops them too,
// and then in_order returns false.
template <class Item, class Produce, class Consume>
bool in_order(std::int64_t count, Produce&& produce, Consume&& consume) {
  std::atomic<bool> stopped{false};
  std::exception_ptr failure;
  auto fail = [&] {
#pragma omp critical(cibgraph_in_order_failure)
    if (!failure) failure = std::current_exception();
    stopped.store(true);
  };
#pragma omp parallel for ordered schedule(static, 1)
  for (std::int64_t i = 0; i < count; ++i) {
    Item item{};
    if (!stopped.load()) {
      try {
        produce(i, item);
      } catch (...) {
        fail();
      }
    }
#pragma omp ordered
    if (!stopped.load()) {
      try {
        if (!consume(i, item)) stopped.store(true);
      } catch (...) {
        fail();
      }
    }
  }
  if (failure) std::rethrow_exception(failure);
  return !stopped.load();
}

}  // namespace cibgraph::internal
