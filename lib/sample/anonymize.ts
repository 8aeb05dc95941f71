/**
 * The anonymiser `evalkit sample` runs before anything is written: it finds
 * emails, phone numbers, payment cards, IPv4 and IPv6 addresses, API keys and
 * tokens, IBANs, US Social Security numbers and street addresses, and replaces
 * each with a typed placeholder (`<EMAIL_1>`, `<PHONE_2>`, …) that stays the same
 * for the same value throughout one item: its query, every turn of its
 * conversation and its response.
 *
 * Only the detected spans change. Everything else, typos and odd spacing
 * included, stays byte-identical: the eval set keeps the mess of real traffic.
 *
 * Detection is by rule, with validators where the format has one (Luhn for
 * cards, mod-97 for IBANs, octet ranges for IPv4, group structure for IPv6,
 * area/group/serial rules for SSNs). When candidates of different types
 * overlap, the more specific type wins, in this order: prefixed secrets (and
 * `Bearer` / `API key …` values), email, IBAN, IPv6, card, SSN, IPv4, phone,
 * address, other high-entropy tokens; among equals, the longer span.
 *
 * The rules are heuristics and say so: they do not find names, all-lower-case
 * street addresses, or numbers written in words; they do flag IMEIs (Luhn-valid
 * like cards) and hex digests of 32+ characters (as possible keys). The full
 * rule for each type is on its finder in `_pii_patterns.ts`.
 *
 * The spans this module returns carry the raw values: use them to count and
 * audit in memory, never write them to an artifact.
 *
 * @module
 */
import { mapMessageTexts, type TextCarrier } from "../messages.ts";
import {
  type Candidate,
  findAddresses,
  findCards,
  findEmails,
  findIbans,
  findIpv4s,
  findIpv6s,
  findPhones,
  findSecrets,
  findSsns,
  normalizeValue,
  PII_TYPES,
  type PiiType,
} from "./_pii_patterns.ts";

export { PII_TYPES, type PiiType };

/** One detected PII occurrence in a text. Offsets are UTF-16 code units, `end` exclusive. */
export interface PiiSpan {
  type: PiiType;
  start: number;
  end: number;
  /** `text.slice(start, end)`. */
  value: string;
}

/** A detected span and the placeholder that replaced it. */
export interface ReplacedSpan extends PiiSpan {
  /** For example `<EMAIL_1>`. */
  placeholder: string;
}

/** Occurrences replaced, per PII type; every type is present, zero when none. */
export type PiiCounts = Record<PiiType, number>;

/** Options for {@link detectPii}, {@link anonymizeText} and {@link anonymizeItem}. */
export interface DetectPiiOptions {
  /**
   * The PII types to look for.
   * @default PII_TYPES (all nine)
   */
  types?: readonly PiiType[];
}

/**
 * What the anonymiser has seen so far within one item: per type, the
 * normalised values in order of first appearance (placeholder `n` is entry
 * `n - 1`). Treat it as opaque and pass it from one call to the next.
 */
export interface AnonymizeState {
  readonly seen: { readonly [K in PiiType]: readonly string[] };
}

/** The result of {@link anonymizeText}. */
export interface AnonymizedText {
  /** The text with every detected span replaced. */
  text: string;
  /** The spans replaced, in the original text's offsets, with their placeholders. */
  spans: ReplacedSpan[];
  /** Occurrences replaced in this text, per type. */
  counts: PiiCounts;
  /** The state after this text: pass it on for the next field of the same item. */
  state: AnonymizeState;
}

/** The fields of a record the anonymiser rewrites; all others are copied unchanged. */
export interface AnonymizableItem {
  query?: string;
  messages?: readonly TextCarrier[];
  response?: string | null;
}

/** The result of {@link anonymizeItem}. */
export interface AnonymizedItem<T> {
  /** A copy of the item with `query`, every message's free text and `response` anonymised. */
  item: T;
  /** Occurrences replaced across the item, per type. */
  counts: PiiCounts;
}

const FINDERS: Record<PiiType, (text: string) => Candidate[]> = {
  email: findEmails,
  phone: findPhones,
  card: findCards,
  ipv4: findIpv4s,
  ipv6: findIpv6s,
  secret: findSecrets,
  iban: findIbans,
  ssn: findSsns,
  address: findAddresses,
};

function checkTypes(fn: string, types: readonly PiiType[]): void {
  for (const t of types) {
    if (!(PII_TYPES as readonly string[]).includes(t)) {
      throw new RangeError(
        `${fn}(): unknown PII type "${t}", expected one of ${PII_TYPES.join(", ")}`,
      );
    }
  }
}

/**
 * Find the PII in a text: non-overlapping spans, in text order.
 *
 * @param text Any text; not modified.
 * @param options Which types to look for.
 * @returns The spans, sorted by `start`.
 * @throws {RangeError} When `options.types` names an unknown type.
 *
 * @example Find an email and a phone number
 * ```ts
 * import { detectPii } from "./anonymize.ts";
 * import assert from "node:assert/strict";
 *
 * const spans = detectPii("mail maria.lopez@gmail.com or call +44 20 7946 0958");
 * assert.deepEqual(spans.map((s) => [s.type, s.value]), [
 *   ["email", "maria.lopez@gmail.com"],
 *   ["phone", "+44 20 7946 0958"],
 * ]);
 * ```
 */
export function detectPii(text: string, options: DetectPiiOptions = {}): PiiSpan[] {
  const types = options.types ?? PII_TYPES;
  checkTypes("detectPii", types);
  const candidates = types.flatMap((t) => FINDERS[t](text)).filter((c) => c.end > c.start);
  candidates.sort((a, b) =>
    a.rank - b.rank || (b.end - b.start) - (a.end - a.start) || a.start - b.start
  );
  const kept: Candidate[] = [];
  for (const c of candidates) {
    if (kept.every((k) => c.end <= k.start || c.start >= k.end)) kept.push(c);
  }
  kept.sort((a, b) => a.start - b.start);
  return kept.filter((c) => !c.veto).map((c) => ({
    type: c.type,
    start: c.start,
    end: c.end,
    value: text.slice(c.start, c.end),
  }));
}

/** Counts with every type at zero. */
export function emptyPiiCounts(): PiiCounts {
  return Object.fromEntries(PII_TYPES.map((t) => [t, 0])) as PiiCounts;
}

/**
 * The sum of two count records, type by type.
 *
 * @example
 * ```ts
 * import { addPiiCounts, emptyPiiCounts } from "./anonymize.ts";
 * import assert from "node:assert/strict";
 *
 * const total = addPiiCounts({ ...emptyPiiCounts(), email: 2 }, { ...emptyPiiCounts(), email: 1 });
 * assert.equal(total.email, 3);
 * assert.equal(total.phone, 0);
 * ```
 */
export function addPiiCounts(a: PiiCounts, b: PiiCounts): PiiCounts {
  return Object.fromEntries(PII_TYPES.map((t) => [t, (a[t] ?? 0) + (b[t] ?? 0)])) as PiiCounts;
}

function emptyState(): AnonymizeState {
  const seen = Object.fromEntries(PII_TYPES.map((t) => [t, [] as string[]]));
  return { seen: seen as Record<PiiType, string[]> };
}

const PLACEHOLDER = new RegExp(
  `<(${PII_TYPES.map((t) => t.toUpperCase()).join("|")})_(\\d{1,6})>`,
  "g",
);

/**
 * The state with every placeholder already in the texts reserved, so that a new
 * value never takes a number an earlier anonymisation gave (an eval item whose
 * query holds `<EMAIL_1>` gets `<EMAIL_2>` for a new address in a response).
 */
function reservePlaceholders(state: AnonymizeState, texts: readonly string[]): AnonymizeState {
  let seen: Record<PiiType, readonly string[]> | undefined;
  for (const text of texts) {
    for (const m of text.matchAll(PLACEHOLDER)) {
      const type = m[1].toLowerCase() as PiiType;
      const n = Number(m[2]);
      const current = (seen ?? state.seen)[type];
      if (current.length >= n) continue;
      seen ??= { ...state.seen };
      // reserved keys cannot equal a normalised value (they hold a NUL)
      seen[type] = [
        ...current,
        ...Array.from({ length: n - current.length }, (_, i) => `\u0000${current.length + i + 1}`),
      ];
    }
  }
  return seen ? { seen } : state;
}

/**
 * Replace the PII in a text with typed placeholders, numbered per type in order
 * of first appearance; the same value (compared normalised: email lower-cased,
 * phone, card and SSN as digits, IBAN compact upper-case, IPv6 expanded,
 * address lower-cased without punctuation) gets the same placeholder.
 *
 * @param text The text; everything outside detected spans is kept byte for byte.
 * @param state What earlier fields of the same item produced. @default a fresh state
 * @param options Which types to look for.
 * @returns The new text, the replaced spans, per-type counts and the next state
 *   (a new object; `state` is not modified).
 * @throws {RangeError} When `options.types` names an unknown type.
 *
 * @example The same address twice gets one placeholder
 * ```ts
 * import { anonymizeText } from "./anonymize.ts";
 * import assert from "node:assert/strict";
 *
 * const first = anonymizeText("email Maria@Example.com about the refnd");
 * const second = anonymizeText("cc maria@example.com and bob@example.com", first.state);
 * assert.equal(first.text, "email <EMAIL_1> about the refnd");
 * assert.equal(second.text, "cc <EMAIL_1> and <EMAIL_2>");
 * assert.equal(second.counts.email, 2);
 * ```
 */
export function anonymizeText(
  text: string,
  state: AnonymizeState = emptyState(),
  options: DetectPiiOptions = {},
): AnonymizedText {
  const spans = detectPii(text, options);
  const counts = emptyPiiCounts();
  if (spans.length === 0) return { text, spans: [], counts, state };
  state = reservePlaceholders(state, [text]);
  const seen: Record<PiiType, readonly string[]> = { ...state.seen };
  const replaced: ReplacedSpan[] = [];
  let out = "";
  let at = 0;
  for (const span of spans) {
    const key = normalizeValue(span.type, span.value);
    let index = seen[span.type].indexOf(key);
    if (index < 0) {
      seen[span.type] = [...seen[span.type], key];
      index = seen[span.type].length - 1;
    }
    const placeholder = `<${span.type.toUpperCase()}_${index + 1}>`;
    out += text.slice(at, span.start) + placeholder;
    at = span.end;
    counts[span.type]++;
    replaced.push({ ...span, placeholder });
  }
  out += text.slice(at);
  return { text: out, spans: replaced, counts, state: { seen } };
}

/**
 * Anonymise one record: its `query`, every message's `content` (earlier turns
 * included) and its `response`, in that order, sharing one numbering so that a
 * value keeps its placeholder across fields and turns. Other fields are copied
 * unchanged; the input is not modified. Placeholders already in the item (it was
 * anonymised before) keep their numbers and new values number after them, so
 * every path that writes text can call this on what it writes.
 *
 * @param item A prod log record, eval item or anything with those fields.
 * @param options Which types to look for.
 * @returns The anonymised copy and per-type counts of replaced occurrences.
 * @throws {RangeError} When `options.types` names an unknown type.
 *
 * @example A multi-turn item keeps its turns and its numbering
 * ```ts
 * import { anonymizeItem } from "./anonymize.ts";
 * import assert from "node:assert/strict";
 *
 * const { item, counts } = anonymizeItem({
 *   id: "log-1",
 *   messages: [
 *     { role: "user", content: "my number is (415) 555-0132" },
 *     { role: "assistant", content: "Thanks, noted." },
 *     { role: "user", content: "sorry, its 415.555.0132 not the other one" },
 *   ],
 * });
 * assert.deepEqual(item.messages.map((m) => m.content), [
 *   "my number is <PHONE_1>",
 *   "Thanks, noted.",
 *   "sorry, its <PHONE_1> not the other one",
 * ]);
 * assert.equal(item.id, "log-1");
 * assert.equal(counts.phone, 2);
 * ```
 */
export function anonymizeItem<T extends AnonymizableItem>(
  item: T,
  options: DetectPiiOptions = {},
): AnonymizedItem<T> {
  const texts = [
    item.query,
    ...(Array.isArray(item.messages) ? item.messages.map((m) => m.content) : []),
    item.response,
  ].filter((t): t is string => typeof t === "string");
  let state = reservePlaceholders(emptyState(), texts);
  let counts = emptyPiiCounts();
  const run = (text: string): string => {
    const result = anonymizeText(text, state, options);
    state = result.state;
    counts = addPiiCounts(counts, result.counts);
    return result.text;
  };
  const out: T = { ...item };
  if (typeof item.query === "string") out.query = run(item.query);
  if (Array.isArray(item.messages)) {
    // Every free text of every turn (parts, refusals, tool arguments): lib/messages.ts.
    out.messages = mapMessageTexts(item.messages, run);
  }
  if (typeof item.response === "string") out.response = run(item.response);
  return { item: out, counts };
}
