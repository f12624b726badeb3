// The report page's number formats (report/src/format.js) against the table of cases the C++ formats
// (core/src/format.cpp) are checked against too: tests/format_cases.json. Prints {"ok", "checked", "failures"}
// as JSON and exits 1 on a failure. Run by tests/python/test_report_format.py: node report/tests/format.mjs
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as fmt from "../src/format.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const table = JSON.parse(readFileSync(`${root}tests/format_cases.json`, "utf8"));
const number = (x) => (typeof x === "number" ? x : { nan: NaN, inf: Infinity, "-inf": -Infinity }[x]);

const failures = [];
let checked = 0;
function check(name, got, want, input) {
  checked += 1;
  if (got !== want) failures.push(`${name}(${JSON.stringify(input)}): got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}
for (const [x, want] of table.count) check("count", fmt.count(number(x)), want, x);
for (const [x, want] of table.ratio) check("ratio", fmt.ratio(number(x)), want, x);
for (const [x, want] of table.p) check("pValue", fmt.pValue(number(x)), want, x);
for (const [x, want] of table.p_phrase) check("pPhrase", fmt.pPhrase(number(x)), want, x);
for (const [x, want] of table.duration) check("seconds", fmt.seconds(number(x)), want, x);
for (const [x, singular, plural, want] of table.counted)
  check("counted", fmt.counted(number(x), singular, plural || undefined), want, [x, singular, plural]);
// Sizes and shares (the page only): the unit chosen after rounding, 100% only for the whole.
for (const [x, want] of [[0, "0 B"], [512, "512 B"], [999, "999 B"], [999.6, "1 kB"], [999999, "1 MB"],
  [9999999, "10 MB"], [76716388, "76.7 MB"], [1234, "1.23 kB"]]) check("bytes", fmt.bytes(x), want, x);
for (const [p, w, want] of [[50, 100, "50%"], [1, 3, "33.3%"], [100, 100, "100%"], [0, 100, "0%"],
  [99999, 100000, "> 99.9%"], [1, 100000, "0.001%"], [1, 1e9, "< 0.001%"], [999, 1000, "99.9%"]])
  check("percent", fmt.percent(p, w), want, [p, w]);
// The page's older names are the same functions.
check("int", fmt.int(2455), "2,455", 2455);
check("real", fmt.real(2455), "2,460", 2455);

console.log(JSON.stringify({ ok: failures.length === 0, checked, failures }));
process.exit(failures.length === 0 ? 0 : 1);
