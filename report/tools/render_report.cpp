// cibgraph-render-report REPORT.json REPORT.html: renders a report JSON file into the self-contained HTML report.
// `cibgraph analyze` does this as its last step; this small tool lets the browser tests (and anyone holding a
// report.json) render one without running the pipeline.
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "cibgraph/error.hpp"
#include "cibgraph/report_html.hpp"

int main(int argc, char** argv) {
  if (argc == 2 && std::string(argv[1]) == "--help") {
    std::cout << "usage: cibgraph-render-report REPORT.json REPORT.html\n";
    return 0;
  }
  if (argc != 3) {
    std::cerr << "usage: cibgraph-render-report REPORT.json REPORT.html\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::cerr << "cibgraph-render-report: error: cannot read " << argv[1] << "\n";
    return 3;
  }
  const std::string json{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  try {
    const std::string html = cibgraph::render_report_html(json);
    std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
    out << html;
    out.close();
    if (!out) {
      std::cerr << "cibgraph-render-report: error: cannot write " << argv[2] << "\n";
      return 3;
    }
  } catch (const cibgraph::Error& e) {
    std::cerr << "cibgraph-render-report: error: " << argv[1] << ": " << e.what() << "\n";
    return 3;
  }
  return 0;
}
