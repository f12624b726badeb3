#include "hugepages.hpp"

#include <unistd.h>

#include <cstdlib>
#include <string>

namespace cibgraph::cli {

void use_transparent_huge_pages(char** argv) {
  const char* off = std::getenv("CIBGRAPH_HUGEPAGES");
  if (off != nullptr && std::string(off) == "0") return;
  const char* current = std::getenv("GLIBC_TUNABLES");
  std::string tunables = current != nullptr ? current : "";
  if (tunables.find("glibc.malloc.hugetlb") != std::string::npos) return;
  // Huge pages, and freed memory kept for the next stage (no per-allocation mmap, no trimming): unless the user
  // chose otherwise.
  std::string add = "glibc.malloc.hugetlb=1";
  if (tunables.find("glibc.malloc.mmap_max") == std::string::npos) add += ":glibc.malloc.mmap_max=0";
  if (tunables.find("glibc.malloc.trim_threshold") == std::string::npos) add += ":glibc.malloc.trim_threshold=1099511627776";
  tunables += tunables.empty() ? add : ":" + add;
  if (setenv("GLIBC_TUNABLES", tunables.c_str(), 1) != 0) return;
  execv("/proc/self/exe", argv);
  // Only reached when exec failed: carry on as we are.
}

}  // namespace cibgraph::cli
