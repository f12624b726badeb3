// Number, time and size formatting. The data may hold anything where a number is expected: whatever is not a
// finite number shows as an en dash.
const DASH = "\u2013";

export const num = (x) => (typeof x === "number" && Number.isFinite(x) ? x : typeof x === "string" && x.trim() !== "" && Number.isFinite(Number(x)) ? Number(x) : null);

// Counts, ratios and p-values: the same rules, case for case, as core/include/cibgraph/format.hpp (the CLI's
// summaries and the report's sentences), checked against one table (tests/format_cases.json). Rounding is half away
// from zero on the shortest decimal that reads back as the number (toExponential() without an argument, as C++'s
// std::to_chars), so both sides write the same characters.
const SMALL_EXPONENT = -3; // below 1e-3: scientific
const LARGE_EXPONENT = 15; // from 1e15 on: scientific

function groupThousands(digits) {
  let out = "";
  for (let i = 0; i < digits.length; i += 1) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ",";
    out += digits[i];
  }
  return out;
}

// A count: the nearest whole number with thousands separators, "2,455".
export function count(x) {
  const v = num(x);
  if (v == null) return DASH;
  const whole = Math.floor(Math.abs(v) + 0.5);
  return (v < 0 && whole !== 0 ? "-" : "") + groupThousands(BigInt(whole).toString());
}

// Significant digits of |x| (finite, non-zero) rounded to `keep`, and the exponent of the first.
function roundedDecimal(magnitude, keep) {
  const [mantissa, exp] = magnitude.toExponential().split("e");
  let digits = mantissa.replace(".", "");
  let exponent = Number(exp);
  if (digits.length > keep) {
    const up = digits[keep] >= "5";
    digits = digits.slice(0, keep);
    if (up) {
      const chars = digits.split("");
      let i = keep - 1;
      for (; i >= 0 && chars[i] === "9"; i -= 1) chars[i] = "0";
      if (i >= 0) chars[i] = String(Number(chars[i]) + 1);
      else {
        chars.unshift("1");
        chars.pop();
        exponent += 1;
      }
      digits = chars.join("");
    }
  }
  return { digits, exponent };
}

const stripZeros = (digits) => digits.replace(/0+$/, "");

// Any other real (ratios, densities, expected counts, scores): 3 significant digits, "0.638", "2,460", "1.23e-5".
export function ratio(x) {
  const v = num(x);
  if (v == null) return DASH;
  if (v === 0) return "0";
  return significant(v, 3);
}

// v (finite, non-zero) to `keep` significant digits, as ratio spells it.
function significant(v, keep) {
  const { digits, exponent } = roundedDecimal(Math.abs(v), keep);
  const sign = v < 0 ? "-" : "";
  if (exponent < SMALL_EXPONENT || exponent >= LARGE_EXPONENT) {
    const rest = stripZeros(digits.slice(1));
    return `${sign}${digits[0]}${rest ? `.${rest}` : ""}e${exponent}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${stripZeros(digits)}`;
  const intDigits = exponent + 1;
  const whole = digits.slice(0, intDigits).padEnd(intDigits, "0");
  const fraction = intDigits < digits.length ? stripZeros(digits.slice(intDigits)) : "";
  return `${sign}${groupThousands(whole)}${fraction ? `.${fraction}` : ""}`;
}

// A p-value: as ratio, and "below 1e-300" for a p-value below 1e-300 (one that underflowed to 0 included).
export function pValue(x) {
  const v = num(x);
  if (v == null) return DASH;
  if (v < 1e-300) return "below 1e-300";
  return ratio(v);
}

// "p = 0.0123", "p below 1e-300": a p-value in a sentence.
export function pPhrase(x) {
  const v = num(x);
  return v != null && v < 1e-300 ? "p below 1e-300" : `p = ${pValue(x)}`;
}

// A count with its noun: "1 coordinated cluster", "2 coordinated clusters".
export function counted(x, singular, plural) {
  const c = count(x);
  return `${c} ${c === "1" ? singular : plural ?? `${singular}s`}`;
}

// The names the page has used all along.
export const int = count;
export const real = ratio;

// A duration in seconds, as core/include/cibgraph/format.hpp's format_duration spells it (the same table of cases):
// below 1 s 2 significant digits, below 2 min 3 ("12.5 s"), below 2 h whole minutes and seconds ("2 min 5 s", "1 h"),
// below 2 days whole hours and minutes ("2 h 30 min"), then days to a tenth ("2.5 days").
export function seconds(x) {
  const v = num(x);
  if (v == null) return DASH;
  if (v < 0) return `-${seconds(-v)}`;
  if (v === 0) return "0 s";
  if (v < 120) return `${significant(v, v < 1 ? 2 : 3)} s`;
  const wholeSeconds = Math.floor(v + 0.5);
  if (wholeSeconds < 7200) {
    const m = Math.floor(wholeSeconds / 60);
    const s = wholeSeconds % 60;
    if (s !== 0) return `${m} min ${s} s`;
    return m === 60 ? "1 h" : `${m} min`;
  }
  const wholeMinutes = Math.floor(v / 60 + 0.5);
  if (wholeMinutes < 2880) {
    const h = Math.floor(wholeMinutes / 60);
    const m = wholeMinutes % 60;
    return m === 0 ? `${h} h` : `${h} h ${m} min`;
  }
  const days = v / 86400;
  const exponent = Number(days.toExponential().split("e")[1]);
  return `${significant(days, exponent + 2)} days`;
}

// A size in bytes, 3 significant digits in the unit it reads in: "76.7 MB", "999 B", "1 MB" (never "1,000 kB": the
// unit is chosen after rounding).
export function bytes(x) {
  const v = num(x);
  if (v == null) return DASH;
  const units = ["B", "kB", "MB", "GB", "TB"];
  let u = 0;
  let s = v;
  while (Math.abs(s) >= 999.5 && u < units.length - 1) {
    s /= 1000;
    u += 1;
  }
  return `${u === 0 ? count(s) : ratio(s)} ${units[u]}`;
}

// A share of a whole as a percentage, 3 significant digits: "45.7%", "100%" only when part is the whole, "0%" only
// when it is nothing ("> 99.9%", "< 0.001%" otherwise).
export function percent(part, whole) {
  const p = num(part);
  const w = num(whole);
  if (p == null || w == null || w <= 0) return "";
  if (p === w) return "100%";
  if (p === 0) return "0%";
  const r = (100 * p) / w;
  if (r > 99.9 && p < w) return "> 99.9%";
  if (r < 0.001 && p > 0) return "< 0.001%";
  return `${ratio(r)}%`;
}

// "2024-03-01 12:00" for axis labels (UTC), from milliseconds.
export function shortTime(ms, withSeconds = false) {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return DASH;
  const iso = d.toISOString();
  return iso.slice(0, 10) + " " + iso.slice(11, withSeconds ? 19 : 16);
}
