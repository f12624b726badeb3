#pragma once
// Progress and interruption for long work. Stages call the callback every so often; it draws a bar, logs a
// line or does nothing, and returns false to stop the work, which then throws cibgraph::Interrupted.
// The CLI's SIGINT handler and Python's signal check both arrive here.
#include <cstdint>
#include <functional>
#include <string_view>

#include "cibgraph/error.hpp"

namespace cibgraph {

struct ProgressUpdate {
  std::string_view stage;  // e.g. "ingest"
  std::uint64_t done = 0;  // units of work done (bytes for ingest)
  std::uint64_t total = 0; // 0 when unknown
  std::string_view unit = "bytes";  // what done and total count: "bytes", "events", ...
};

using ProgressCallback = std::function<bool(const ProgressUpdate&)>;

inline void report_progress(const ProgressCallback& callback, std::string_view stage, std::uint64_t done,
                            std::uint64_t total, std::string_view unit = "bytes") {
  if (callback && !callback(ProgressUpdate{stage, done, total, unit})) throw Interrupted();
}

}  // namespace cibgraph
