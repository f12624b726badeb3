// Number, time and size formatting. The data may hold anything where a number is expected: whatever is not a
// finite number shows as an en dash.
const DASH = "\u2013";

export const num = (x) => (typeof x === "number" && Number.isFinite(x) ? x : typeof x === "string" && x.trim() !== "" && Number.isFinite(Number(x)) ? Number(x) : null);

export function int(x) {
  const v = num(x);
  return v == null ? DASH : Math.round(v).toLocaleString("en-US");
}

export function real(x, digits = 3) {
  const v = num(x);
  if (v == null) return DASH;
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-3) return v.toExponential(2);
  return Number(v.toPrecision(digits)).toLocaleString("en-US", { maximumFractionDigits: 6 });
}

export function pValue(x) {
  const v = num(x);
  if (v == null) return DASH;
  if (v <= 0) return "< 1e-300";
  if (v < 1e-3) return v.toExponential(1);
  return v.toPrecision(2);
}

export function seconds(x) {
  const v = num(x);
  if (v == null) return DASH;
  if (v < 1) return `${Number(v.toPrecision(2))} s`;
  if (v < 120) return `${Number(v.toPrecision(3))} s`;
  if (v < 7200) {
    const m = Math.floor(v / 60);
    const s = Math.round(v % 60);
    return s === 0 ? (m === 60 ? "1 h" : `${m} min`) : `${m} min ${s} s`;
  }
  if (v < 172800) {
    const h = Math.floor(v / 3600);
    const m = Math.round((v % 3600) / 60);
    return m === 0 ? `${h} h` : `${h} h ${m} min`;
  }
  return `${(v / 86400).toFixed(1)} days`;
}

export function bytes(x) {
  const v = num(x);
  if (v == null) return DASH;
  const units = ["B", "kB", "MB", "GB", "TB"];
  let u = 0;
  let s = v;
  while (s >= 1000 && u < units.length - 1) {
    s /= 1000;
    u += 1;
  }
  return u === 0 ? `${v} B` : `${s.toFixed(s < 10 ? 2 : 1)} ${units[u]}`;
}

export function percent(part, whole) {
  const p = num(part);
  const w = num(whole);
  if (p == null || w == null || w <= 0) return "";
  return `${((100 * p) / w).toFixed(p / w < 0.001 && p > 0 ? 3 : 1)}%`;
}

// "2024-03-01 12:00" for axis labels (UTC), from milliseconds.
export function shortTime(ms, withSeconds = false) {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return DASH;
  const iso = d.toISOString();
  return iso.slice(0, 10) + " " + iso.slice(11, withSeconds ? 19 : 16);
}
