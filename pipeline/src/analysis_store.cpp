// The analysis in the HDF5 store (docs/hdf5-layout.md, "/results/<name>/accounts and /analysis"): write_network stores
// the network and the flagged clusters, then the account rankings and the analysis record are added in place to the
// file it just wrote (nothing is replaced, so no dead space), and the file is sealed again.
#include <hdf5.h>

#include <string>
#include <vector>

#include "cibgraph/analysis.hpp"
#include "cibgraph/network_store.hpp"
#include "store_internal.hpp"

namespace cibgraph {

using namespace store_internal;

void write_analysis_store(const std::string& path, const std::string& name, const AnalysisResult& result,
                          const std::string& parameters_json, const std::string& report_json,
                          const ProgressCallback& progress, StoredEdges edges) {
  std::vector<Cluster> clusters;
  clusters.reserve(result.clusters.size());
  for (const auto& c : result.clusters) clusters.push_back(c.cluster);
  write_network(path, name, result.coordination.network, clusters, parameters_json, progress, edges);

  guarded(path, [&] {
    {
      const Reader check(path);  // the file write_network sealed, verified as every reader verifies it
    }
    const Writer setup(path, -1);
    Hid access = setup.own(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "file access properties");
    setup.ok(H5Pset_libver_bounds(access.get(), H5F_LIBVER_V110, H5F_LIBVER_V110), "file format bounds");
    setup.ok(H5Pset_fclose_degree(access.get(), H5F_CLOSE_SEMI), "file close degree");
    Hid file = setup.own(H5Fopen(path.c_str(), H5F_ACC_RDWR, access.get()), H5Fclose, "cannot open " + path);
    const Writer w(path, file.get());

    const std::string accounts = "/results/" + name + "/accounts";
    w.group(accounts);
    w.integer_attribute<std::uint64_t>(accounts, "n_accounts", result.accounts.size());
    auto column = [&](const char* col, auto field) {
      using T = decltype(field(result.accounts.front()));
      std::vector<T> values;
      values.reserve(result.accounts.size());
      for (const auto& a : result.accounts) values.push_back(field(a));
      w.column(accounts + "/" + col, values, kChunkRows);
    };
    if (!result.accounts.empty()) {
      column("cluster", [](const AccountRanking& a) { return a.cluster; });
      column("score", [](const AccountRanking& a) { return a.score; });
      column("pagerank", [](const AccountRanking& a) { return a.pagerank; });
      column("betweenness", [](const AccountRanking& a) { return a.betweenness; });
      column("degree", [](const AccountRanking& a) { return a.degree; });
      column("core", [](const AccountRanking& a) { return a.core; });
      column("kept_edges", [](const AccountRanking& a) { return a.kept_edges; });
      column("n_events", [](const AccountRanking& a) { return a.n_events; });
      column("first_seen", [](const AccountRanking& a) { return a.first_seen; });
      column("last_seen", [](const AccountRanking& a) { return a.last_seen; });
    }

    const std::string analysis = "/results/" + name + "/analysis";
    w.group(analysis);
    w.string_attribute(analysis, "parameters_json", parameters_json);
    std::vector<std::uint32_t> detected;
    std::vector<std::uint8_t> split;
    for (const auto& c : result.clusters) {
      detected.push_back(c.detected_id);
      split.push_back(c.split ? 1 : 0);
    }
    w.column(analysis + "/detected_cluster", detected, kChunkRows);
    w.column(analysis + "/split", split, kChunkRows);
    std::vector<double> stage_seconds;
    std::string stage_names;
    for (const auto& s : result.stages) {
      stage_seconds.push_back(s.seconds);
      stage_names += (stage_names.empty() ? "" : ",") + s.name;
    }
    w.string_attribute(analysis, "stage_names", stage_names);
    w.column(analysis + "/stage_seconds", stage_seconds, kChunkRows);
    // report.json as UTF-8 bytes (a dataset: it can be far larger than an attribute should be).
    w.column(analysis + "/report_json", reinterpret_cast<const std::uint8_t*>(report_json.data()), report_json.size(),
             kChunkRows);
    if (!file.close()) w.fail("closing " + path);
    seal(path);
  });
}

}  // namespace cibgraph
