// Ingest throughput: MB/s and rows/s for the CSV reader alone and for the whole ingest (parse, validate UTF-8,
// parse times, intern strings), on one core, over a generated CSV of CIBGRAPH_BENCH_INGEST_MB megabytes
// (default 1024: the 1 GB file the issue asks for). The file is written once to build/bench-data and reused.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "cibgraph/csv.hpp"
#include "cibgraph/ingest.hpp"
#include "cibgraph/time.hpp"

namespace {

std::uint64_t target_megabytes() {
  const char* env = std::getenv("CIBGRAPH_BENCH_INGEST_MB");
  return env ? std::strtoull(env, nullptr, 10) : 1024;
}

// Rows shaped like a real export: ids, ISO times with milliseconds, and a text column that is often empty,
// sometimes quoted with commas and doubled quotes.
const std::string& bench_csv() {
  static const std::string path = [] {
    std::filesystem::create_directories("bench-data");
    const std::uint64_t bytes = target_megabytes() << 20;
    std::string p = "bench-data/ingest-" + std::to_string(target_megabytes()) + "MB.csv";
    if (std::filesystem::exists(p) && std::filesystem::file_size(p) >= bytes) return p;
    std::ofstream out(p, std::ios::binary);
    std::string buf = "account_id,action,target,timestamp,text,target_time\n";
    std::uint64_t written = 0, i = 0, x = 88172645463325252ULL;
    const std::int64_t start = 1709251200000;
    while (written < bytes) {
      x ^= x << 13; x ^= x >> 7; x ^= x << 17;
      const std::uint64_t post = x % 200000;
      buf += "u" + std::to_string(x % 500000) + (i % 10 == 0 ? ",comment,p" : ",share,p") + std::to_string(post) + "," +
             cibgraph::format_iso8601(start + static_cast<std::int64_t>(i * 37 % 2592000000ULL)) + ",";
      if (i % 10 == 0) buf += "\"Great post, \"\"really\"\" - share it #" + std::to_string(post % 97) + "\"";
      buf += "," + cibgraph::format_iso8601(start + static_cast<std::int64_t>(post * 1000)) + "\n";
      ++i;
      if (buf.size() > (1 << 20)) {
        out << buf;
        written += buf.size();
        buf.clear();
      }
    }
    out << buf;
    return p;
  }();
  return path;
}

void BM_CsvReaderOnly(benchmark::State& state) {
  const auto& path = bench_csv();
  std::uint64_t rows = 0;
  for (auto _ : state) {
    cibgraph::InputBuffer in(path);
    cibgraph::CsvReader reader(in, {});
    cibgraph::CsvRecord rec;
    rows = 0;
    while (reader.next(rec)) ++rows;
    benchmark::DoNotOptimize(rows);
  }
  const auto size = static_cast<std::int64_t>(std::filesystem::file_size(path));
  state.SetBytesProcessed(size * state.iterations());
  state.counters["rows_per_s"] = benchmark::Counter(static_cast<double>(rows) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_IngestCsv(benchmark::State& state) {
  const auto& path = bench_csv();
  std::uint64_t rows = 0;
  for (auto _ : state) {
    cibgraph::IngestOptions o;
    auto r = cibgraph::ingest({path}, o);
    rows = r.provenance.rows_read;
    if (r.provenance.rows_rejected != 0) state.SkipWithError("unexpected rejects");
    benchmark::DoNotOptimize(r.events.time.data());
  }
  const auto size = static_cast<std::int64_t>(std::filesystem::file_size(path));
  state.SetBytesProcessed(size * state.iterations());
  state.counters["rows_per_s"] = benchmark::Counter(static_cast<double>(rows) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["rows"] = static_cast<double>(rows);
}

}  // namespace

BENCHMARK(BM_CsvReaderOnly)->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_IngestCsv)->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime();
BENCHMARK_MAIN();
