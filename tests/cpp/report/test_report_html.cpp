// The report's HTML renderer: the data lands in its element escaped, so that no string an adversary chose (an
// account name, a URL, a text) can end the element, open a comment or a new script, and the page refers to no
// resource outside itself.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "cibgraph/error.hpp"
#include "cibgraph/report_html.hpp"

using namespace cibgraph;

namespace {

constexpr std::string_view kDataOpen = R"(<script type="application/json" id="cibgraph-data">)";

// The text of the data element as an HTML parser sees it: from the opening tag to the first "</script" in any
// case (script data ends there whatever comes before it).
std::string data_element_text(const std::string& html) {
  const auto open = html.find(kDataOpen);
  if (open == std::string::npos) return "<no data element>";
  const auto begin = open + kDataOpen.size();
  std::string lower = html.substr(begin);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return html.substr(begin, lower.find("</script"));
}

// The page with the data element's text cut out.
std::string page_without_data(const std::string& html) {
  const std::string data = data_element_text(html);
  const auto begin = html.find(kDataOpen) + kDataOpen.size();
  return html.substr(0, begin) + html.substr(begin + data.size());
}

}  // namespace

TEST(ReportHtmlTest, EscapesExactly) {
  EXPECT_EQ(escape_json_for_script_element(R"({"a":"<b>&amp;</b>"})"),
            R"({"a":"\u003cb\u003e\u0026amp;\u003c/b\u003e"})");
  EXPECT_EQ(escape_json_for_script_element("[\"\xE2\x80\xA8|\xE2\x80\xA9|\xE2\x80\xA6\"]"),
            "[\"\\u2028|\\u2029|\xE2\x80\xA6\"]");  // U+2026 (…) shares the first two bytes and stays
  EXPECT_EQ(escape_json_for_script_element(R"({"k":[1,2.5,null,true]})"), R"({"k":[1,2.5,null,true]})");
  EXPECT_EQ(escape_json_for_script_element(""), "");
}

TEST(ReportHtmlTest, HostileStringsCannotEndTheDataElement) {
  const nlohmann::json data = {
      {"schema", "cibgraph-report/1"},
      {"accounts",
       {{{"id", "</script><script>alert(1)</script>"}},
        {{"id", "<!-- <script>"}},
        {{"id", "</SCRIPT >x"}},
        {{"id", "line\u2028separator\u2029paragraph"}},
        {{"id", "\"><img src=x onerror=alert(1)>"}},
        {{"id", "\u202Eevil\u202C & <b>bold</b>"}}}}};
  const std::string json = data.dump();
  const std::string html = render_report_html(json);

  const std::string text = data_element_text(html);
  EXPECT_EQ(text, escape_json_for_script_element(json));
  EXPECT_EQ(text.find('<'), std::string::npos);
  EXPECT_EQ(text.find('>'), std::string::npos);
  EXPECT_EQ(text.find("\xE2\x80\xA8"), std::string::npos);
  EXPECT_EQ(text.find("\xE2\x80\xA9"), std::string::npos);
  // What the page's script reads back is the original data, hostile strings intact.
  EXPECT_EQ(nlohmann::json::parse(text), data);
  // One data element, and the page's own markup around it is the template's, unchanged by the data.
  EXPECT_EQ(html.find(kDataOpen), html.rfind(kDataOpen));
  EXPECT_EQ(page_without_data(html), page_without_data(render_report_html("{}")));
}

TEST(ReportHtmlTest, SelfContainedWithAPolicyForbiddingTheNetwork) {
  const std::string html = render_report_html(R"({"target":"https://example.org/x.js"})");
  const std::string page = page_without_data(html);
  // The data's URL is only in the data.
  EXPECT_NE(data_element_text(html).find("https://example.org/x.js"), std::string::npos);
  EXPECT_EQ(page.find("example.org"), std::string::npos);

  // Outside the data, the only absolute http(s) names are XML namespace names (identifiers the DOM compares,
  // never fetched), and nothing is loaded by src, href, url() or @import.
  const std::set<std::string> namespaces = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xhtml",
                                            "http://www.w3.org/1999/xlink", "http://www.w3.org/XML/1998/namespace",
                                            "http://www.w3.org/2000/xmlns/"};
  const std::regex url(R"(https?://[^\s"'`)<>\\]*)", std::regex::icase);
  for (auto it = std::sregex_iterator(page.begin(), page.end(), url); it != std::sregex_iterator(); ++it) {
    EXPECT_TRUE(namespaces.count(it->str())) << "resource reference outside the data: " << it->str();
  }
  EXPECT_FALSE(std::regex_search(page, std::regex(R"(<(script|img|link|iframe)[^>]*\s(src|href)\s*=)",
                                                  std::regex::icase)));
  EXPECT_FALSE(std::regex_search(page, std::regex(R"(@import|url\(\s*['"]?\s*(https?:)?//)", std::regex::icase)));

  // The policy: nothing may be fetched, and only the template's own script and style (by hash) run.
  std::smatch csp;
  ASSERT_TRUE(std::regex_search(page, csp,
                                std::regex(R"re(<meta http-equiv="Content-Security-Policy" content="([^"]*)")re")));
  const std::string policy = csp[1];
  EXPECT_EQ(policy.rfind("default-src 'none'; ", 0), 0u) << policy;
  EXPECT_TRUE(std::regex_search(policy, std::regex(R"(script-src 'sha256-[A-Za-z0-9+/=]{44}';)"))) << policy;
  EXPECT_TRUE(std::regex_search(policy, std::regex(R"(style-src 'sha256-[A-Za-z0-9+/=]{44}';)"))) << policy;
  EXPECT_EQ(policy.find("unsafe-inline"), std::string::npos) << policy;
  EXPECT_EQ(policy.find("unsafe-eval"), std::string::npos) << policy;
  EXPECT_EQ(policy.find("connect-src"), std::string::npos) << policy;  // default-src 'none' covers it
  // The policy comes before any script or style, so it governs them.
  EXPECT_LT(page.find("Content-Security-Policy"), page.find("<script"));
  EXPECT_LT(page.find("Content-Security-Policy"), page.find("<style"));
}

TEST(ReportHtmlTest, RefusesDataThatIsNotJson) {
  EXPECT_THROW(render_report_html(R"({"a":1)"), Error);
  EXPECT_THROW(render_report_html("</script><script>alert(1)</script>"), Error);
  EXPECT_THROW(render_report_html("{\"a\":\"\xFF\xFE\"}"), Error);  // not UTF-8
  EXPECT_THROW(render_report_html(""), Error);
  EXPECT_NO_THROW(render_report_html("[]"));
}
