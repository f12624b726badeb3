#pragma once
// What Python holds of a coordination network, shared by the projection and store bindings.
#include <memory>
#include <string>

#include "bindings.hpp"
#include "cibgraph/pipeline.hpp"

namespace cibgraph::python {

struct PyNetwork {
  std::shared_ptr<PyEvents> events;  // the accounts and keys the network's ids point into
  CoordinationOptions options;       // as run (or as recorded in a store); no progress callbacks kept
  CoordinationResult result;
  std::string window_text = "60s";   // as the user gave it, or "auto"
  std::string weight = "idf";        // the weight column chosen for edges and the fused graph
  std::string parameters_json;       // what write_network stores (coordination_parameters_json)
  std::string created_at;            // when it was stored; empty for a network computed in this session
};

// Sets options, window_text and weight of a network read from a store from its parameters_json.
void restore_options(PyNetwork& network);

}  // namespace cibgraph::python
