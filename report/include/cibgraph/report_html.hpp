#pragma once
// The investigator's report as one self-contained HTML file. The template (HTML, the inlined script bundle with
// sigma.js and graphology, the inlined style sheet, a Content-Security-Policy that forbids every network request)
// is built from report/src by report/build.mjs at build time and compiled into this library; rendering only
// inserts the report JSON (schema "cibgraph-report/1", see report_json.hpp) into it.
#include <string>
#include <string_view>

namespace cibgraph {

// The self-contained report: the built template with the report JSON inserted as
// <script type="application/json" id="cibgraph-data">…</script>, escaped so that no string in the data can close
// the script element or be parsed as markup (< > & U+2028 U+2029 as \u escapes, which JSON reads back as the
// same characters). Throws cibgraph::Error when report_json is not valid JSON (or not valid UTF-8).
std::string render_report_html(std::string_view report_json);

// The JSON text escaped for a <script type="application/json"> element: < > & as \u003c \u003e \u0026 and the
// line and paragraph separators U+2028 U+2029 as \u2028 \u2029. Outside JSON strings these characters cannot
// occur in valid JSON, so the result parses to the same value.
std::string escape_json_for_script_element(std::string_view json);

}  // namespace cibgraph
