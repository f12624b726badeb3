#pragma once
// __gnu_parallel::sort behind a memory probe. Its multiway mergesort copies the range into a buffer of the same size
// from worker threads; a std::bad_alloc there escapes an OpenMP thread and aborts the process (SIGABRT, exit 134)
// instead of reaching the caller. The probe asks for that buffer first, on the calling thread, and gives it back: a
// machine (or a ulimit -v) without the room fails here with an ordinary std::bad_alloc, which the CLI reports as
// "out of memory" (exit code 3) and Python as MemoryError.
#include <cstddef>
#include <iterator>
#include <memory>
#include <parallel/algorithm>

namespace cibgraph::detail {

template <class It, class... Compare>
void parallel_sort(It first, It last, Compare... compare) {
  using T = typename std::iterator_traits<It>::value_type;
  const auto n = static_cast<std::size_t>(last - first);
  if (n > 1) {
    std::allocator<T> allocator;
    allocator.deallocate(allocator.allocate(n), n);  // address space only: nothing is written
  }
  __gnu_parallel::sort(first, last, compare...);
}

}  // namespace cibgraph::detail
