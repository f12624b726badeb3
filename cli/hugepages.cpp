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
  tunables += tunables.empty() ? "glibc.malloc.hugetlb=1" : ":glibc.malloc.hugetlb=1";
  if (setenv("GLIBC_TUNABLES", tunables.c_str(), 1) != 0) return;
  execv("/proc/self/exe", argv);
  // Only reached when exec failed: carry on as we are.
}

}  // namespace cibgraph::cli
