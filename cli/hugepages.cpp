#include "hugepages.hpp"

#include <unistd.h>

#include <cstdlib>
#include <string>

namespace cibgraph::cli {
namespace {

// Adds the malloc tunables to GLIBC_TUNABLES; true when the environment changed.
bool want_huge_pages() {
  const char* off = std::getenv("CIBGRAPH_HUGEPAGES");
  if (off != nullptr && std::string(off) == "0") return false;
  const char* current = std::getenv("GLIBC_TUNABLES");
  std::string tunables = current != nullptr ? current : "";
  if (tunables.find("glibc.malloc.hugetlb") != std::string::npos) return false;
  // Huge pages, and freed memory kept for the next stage (no per-allocation mmap, no trimming): unless the user
  // chose otherwise.
  std::string add = "glibc.malloc.hugetlb=1";
  if (tunables.find("glibc.malloc.mmap_max") == std::string::npos) add += ":glibc.malloc.mmap_max=0";
  if (tunables.find("glibc.malloc.trim_threshold") == std::string::npos) add += ":glibc.malloc.trim_threshold=1099511627776";
  tunables += tunables.empty() ? add : ":" + add;
  return setenv("GLIBC_TUNABLES", tunables.c_str(), 1) == 0;
}

// OMP_WAIT_POLICY=passive unless the user chose a wait policy; true when the environment changed.
bool want_passive_openmp() {
  if (std::getenv("OMP_WAIT_POLICY") != nullptr || std::getenv("GOMP_SPINCOUNT") != nullptr) return false;
  return setenv("OMP_WAIT_POLICY", "passive", 1) == 0;
}

}  // namespace

void prepare_process(char** argv) {
  const bool pages = want_huge_pages();
  const bool openmp = want_passive_openmp();
  if (!pages && !openmp) return;
  execv("/proc/self/exe", argv);
  // Only reached when exec failed: carry on as we are.
}

}  // namespace cibgraph::cli
