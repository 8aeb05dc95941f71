/**
 * Small helpers the export-format adapters share: reading loose JSON, turning
 * nested objects into dotted columns (`metadata.topic`), OTLP attribute values.
 *
 * @module
 */
import type { Adapted, AdaptIssue, CanonicalLog } from "./types.ts";

/** A plain object, or undefined. */
export function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v)
    ? v as Record<string, unknown>
    : undefined;
}

/** A non-empty string, or undefined. */
export function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** The first of the values that is not undefined or null. */
export function first(...values: unknown[]): unknown {
  for (const v of values) if (v !== undefined && v !== null) return v;
  return undefined;
}

/** JSON text parsed, a value as is; `undefined` when the text is not JSON. */
export function parseJsonish(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const t = v.trim();
  if (!/^[[{]/.test(t)) return v;
  try {
    return JSON.parse(t);
  } catch {
    return undefined;
  }
}

/**
 * Scalar leaves of an object as dotted columns under a prefix:
 * `{topic: "billing", a: {b: 1}}` under `metadata` gives `metadata.topic`, `metadata.a.b`.
 * Arrays of scalars are joined by a comma; other arrays are left out.
 */
export function flatten(
  value: unknown,
  prefix: string,
  out: Record<string, unknown> = {},
): Record<string, unknown> {
  const o = obj(value);
  if (!o) return out;
  for (const [k, v] of Object.entries(o)) {
    const key = `${prefix}.${k}`;
    if (v === null || v === undefined) continue;
    if (Array.isArray(v)) {
      if (v.every((x) => typeof x !== "object" || x === null)) out[key] = v.join(",");
    } else if (typeof v === "object") flatten(v, key, out);
    else out[key] = typeof v === "string" ? v : String(v);
  }
  return out;
}

/** A record's tags as one column: the tags joined by a comma, in their order. */
export function tagsColumn(tags: unknown): Record<string, string> {
  return Array.isArray(tags) && tags.length > 0 && tags.every((t) => typeof t === "string")
    ? { tags: tags.join(",") }
    : {};
}

/** An OTLP JSON `AnyValue` (`stringValue`, `intValue`, `arrayValue`, …) as a plain value. */
export function anyValue(v: unknown): unknown {
  const o = obj(v);
  if (!o) return undefined;
  if ("stringValue" in o) return o.stringValue;
  if ("boolValue" in o) return o.boolValue;
  if ("intValue" in o) return Number(o.intValue);
  if ("doubleValue" in o) return Number(o.doubleValue);
  if ("bytesValue" in o) return o.bytesValue;
  if ("arrayValue" in o) {
    return ((obj(o.arrayValue)?.values as unknown[]) ?? []).map(anyValue);
  }
  if ("kvlistValue" in o) return keyValues(obj(o.kvlistValue)?.values);
  return undefined;
}

/** An OTLP `KeyValue[]` list, or an attributes object already keyed, as one object. */
export function keyValues(list: unknown): Record<string, unknown> {
  if (!Array.isArray(list)) return obj(list) ? flattenKeys(obj(list)!) : {};
  const out: Record<string, unknown> = {};
  for (const kv of list) {
    const o = obj(kv);
    if (o && typeof o.key === "string") out[o.key] = anyValue(o.value);
  }
  return out;
}

/**
 * Nested attributes (`{llm: {input_messages: [{message: {...}}]}}`, as some
 * exporters write them) as the dotted keys of the conventions
 * (`llm.input_messages.0.message.role`); keys already dotted stay as they are.
 */
export function flattenKeys(
  o: Record<string, unknown>,
  prefix = "",
  out: Record<string, unknown> = {},
): Record<string, unknown> {
  for (const [k, v] of Object.entries(o)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (Array.isArray(v) && v.some((x) => obj(x) !== undefined)) {
      v.forEach((x, i) => {
        if (obj(x)) flattenKeys(obj(x)!, `${key}.${i}`, out);
        else out[`${key}.${i}`] = x;
      });
    } else if (obj(v)) flattenKeys(obj(v)!, key, out);
    else out[key] = v;
  }
  return out;
}

/** An OTLP time in nanoseconds since the epoch (number or decimal string) as ISO 8601. */
export function nanosToIso(v: unknown): string | undefined {
  const s = typeof v === "number"
    ? BigInt(Math.round(v)).toString()
    : typeof v === "string"
    ? v
    : "";
  if (!/^\d{1,20}$/.test(s)) return undefined;
  const ns = BigInt(s);
  const ms = Number(ns / 1_000_000n);
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return undefined;
  const micros = Number((ns / 1000n) % 1000n);
  return d.toISOString().replace(/Z$/, `${String(micros).padStart(3, "0")}Z`);
}

/** One adapter problem. */
export function issue(field: string, problem: string): AdaptIssue {
  return { field, problem, kind: "type" };
}

/** The feedback names read when `--feedback-key` is not given. */
export const DEFAULT_FEEDBACK_KEYS: readonly string[] = [
  "user_feedback",
  "user-feedback",
  "user_score",
  "feedback",
  "thumbs",
  "thumbs_up",
  "thumb",
];

/** Does a feedback/score name match the key (or, without one, a common user-feedback name)? */
export function isFeedbackName(name: unknown, key: string | undefined): boolean {
  if (typeof name !== "string") return false;
  return key !== undefined ? name === key : DEFAULT_FEEDBACK_KEYS.includes(name.toLowerCase());
}

/** Drop undefined fields (the canonical record holds only what the export had). */
export function compact(r: Record<string, unknown>): CanonicalLog {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) if (v !== undefined) out[k] = v;
  return out as CanonicalLog;
}

/** Several values' results as one; `at(i)` prefixes the i-th one's record place and issue fields. */
export function mergeAdapted(parts: Adapted[], at: (i: number) => string = () => ""): Adapted {
  const out: Adapted = { records: [], skipped: [], issues: [], ignoredFeedback: [] };
  parts.forEach((a, i) => {
    const p = at(i);
    out.records.push(...a.records.map((r) => (p ? { ...r, where: p } : r)));
    out.skipped.push(...a.skipped);
    out.issues.push(...a.issues.map((x) => (p ? { ...x, field: `${p}.${x.field}` } : x)));
    out.ignoredFeedback!.push(...(a.ignoredFeedback ?? []));
  });
  return out;
}
