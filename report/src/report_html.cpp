// Rendering is a splice: template head, escaped JSON, template tail. The template itself is generated
// (report_template.cpp, from report/build.mjs) so that the report needs nothing but this library at run time.
#include "cibgraph/report_html.hpp"

#include <nlohmann/json.hpp>

#include "cibgraph/error.hpp"

namespace cibgraph {

namespace report_detail {
extern const std::string_view kTemplateHead;
extern const std::string_view kTemplateTail;
}  // namespace report_detail

std::string escape_json_for_script_element(std::string_view json) {
  std::string out;
  out.reserve(json.size() + json.size() / 16);
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else if (c == '\xE2' && i + 2 < json.size() && json[i + 1] == '\x80' &&
               (json[i + 2] == '\xA8' || json[i + 2] == '\xA9')) {
      // U+2028 and U+2029 end a line in older JavaScript parsers; keep them out of the document as raw bytes.
      out += json[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string render_report_html(std::string_view report_json) {
  // SAX validation: no document is built, so a large report costs one pass. The escaping below is only
  // meaning-preserving for valid JSON (the characters it rewrites may then only occur inside strings).
  if (!nlohmann::json::accept(report_json)) {
    throw Error("the report data is not valid JSON (or not valid UTF-8); no report was written");
  }
  const std::string escaped = escape_json_for_script_element(report_json);
  std::string html;
  html.reserve(report_detail::kTemplateHead.size() + escaped.size() + report_detail::kTemplateTail.size());
  html += report_detail::kTemplateHead;
  html += escaped;
  html += report_detail::kTemplateTail;
  return html;
}

}  // namespace cibgraph
