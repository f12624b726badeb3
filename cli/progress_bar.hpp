#pragma once
// Progress for the CLI: a redrawn bar on a terminal, a plain line every few seconds otherwise, nothing with
// --quiet. Ctrl-C sets a flag that the next progress call turns into cibgraph::Interrupted.
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <functional>
#include <string>
#include <unistd.h>

#include "cibgraph/progress.hpp"

namespace cibgraph::cli {

inline std::atomic<bool> g_interrupted{false};

inline void install_interrupt_handler() {
  std::signal(SIGINT, [](int) { g_interrupted.store(true); });
}

inline std::string human_count(double n, std::string_view unit) {
  if (unit == "bytes") return "";
  const char* suffix[] = {"", "k", "M", "G", "T"};
  int u = 0;
  while (n >= 1000 && u < 4) {
    n /= 1000;
    ++u;
  }
  char buf[48];
  std::snprintf(buf, sizeof buf, u ? "%.1f%s %.*s" : "%.0f%s %.*s", n, suffix[u], static_cast<int>(unit.size()), unit.data());
  return buf;
}

inline std::string human_bytes(double b) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  int u = 0;
  while (b >= 1000 && u < 4) {
    b /= 1000;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u ? "%.1f %s" : "%.0f %s", b, units[u]);
  return buf;
}

class ProgressBar {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  // `clock` tells the time (tests pass one they move forward instead of sleeping).
  explicit ProgressBar(bool quiet, Clock clock = std::chrono::steady_clock::now)
      : quiet_(quiet), tty_(isatty(STDERR_FILENO) != 0), clock_(std::move(clock)), start_(clock_()) {}

  ProgressCallback callback() {
    return [this](const ProgressUpdate& u) {
      if (g_interrupted.load()) return false;
      draw(u);
      return true;
    };
  }

  void finish() {
    if (tty_ && drawn_) std::fputs("\n", stderr);
    drawn_ = false;
  }

  ~ProgressBar() { finish(); }

 private:
  void draw(const ProgressUpdate& u) {
    if (quiet_) return;
    const auto now = clock_();
    const bool done = u.total && u.done >= u.total;
    const auto every = tty_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(5000);
    if (!done && now - last_ < every) return;
    if (done && !drawn_) return;  // nothing shown yet: no progress for quick work
    if (done && shown_done_ && u.stage == stage_) return;  // a stage's 100% once, however often it is reported
    shown_done_ = done;
    stage_.assign(u.stage);
    if (!drawn_ && now - start_ < std::chrono::milliseconds(tty_ ? 300 : 2000)) return;
    last_ = now;
    const double frac = u.total ? static_cast<double>(u.done) / static_cast<double>(u.total) : 0.0;
    const double secs = std::chrono::duration<double>(now - start_).count();
    const bool bytes = u.unit == "bytes";
    auto amount = [&](double x) { return bytes ? human_bytes(x) : human_count(x, u.unit); };
    std::string rate = secs > 0 ? amount(static_cast<double>(u.done) / secs) + "/s" : "";
    if (tty_) {
      const int width = 30;
      const int filled = static_cast<int>(frac * width);
      std::string bar(static_cast<std::size_t>(filled), '#');
      bar.resize(width, '.');
      std::fprintf(stderr, "\r%.*s [%s] %3.0f%% %s  %s   ", static_cast<int>(u.stage.size()), u.stage.data(),
                   bar.c_str(), frac * 100, amount(static_cast<double>(u.done)).c_str(), rate.c_str());
      drawn_ = true;
    } else {
      std::fprintf(stderr, "%.*s: %.0f%% (%s of %s, %s)\n", static_cast<int>(u.stage.size()), u.stage.data(),
                   frac * 100, amount(static_cast<double>(u.done)).c_str(), amount(static_cast<double>(u.total)).c_str(),
                   rate.c_str());
      drawn_ = true;
    }
    std::fflush(stderr);
  }

  bool quiet_, tty_, drawn_ = false, shown_done_ = false;
  Clock clock_;
  std::string stage_;
  std::chrono::steady_clock::time_point start_, last_{};
};

}  // namespace cibgraph::cli
