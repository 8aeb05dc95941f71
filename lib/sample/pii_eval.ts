/**
 * Measuring the anonymiser on a labelled corpus: per-type recall on PII values
 * and the share of look-alikes (values that are not PII) it altered.
 *
 * The repository's independent corpus lives in `tests/fixtures/pii/` (built
 * from public format rules; its README names every source); `deno task
 * bench:pii` prints these figures for it.
 *
 * @module
 */
import { z } from "zod";
import { readRecords } from "../io/read.ts";
import { anonymizeText } from "./anonymize.ts";

/** One labelled PII value inside a text. */
export const PiiCorpusRecord = z.object({
  id: z.string(),
  type: z.string(),
  form: z.string(),
  text: z.string(),
  value: z.string(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
});
/** One labelled PII value inside a text. */
export type PiiCorpusRecord = z.infer<typeof PiiCorpusRecord>;

/** A value that is not PII (an order number, a bad-checksum IBAN, …) inside a text. */
export const PiiLookAlike = z.object({
  id: z.string(),
  kind: z.string(),
  text: z.string(),
  value: z.string(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
});
/** A value that is not PII inside a text. */
export type PiiLookAlike = z.infer<typeof PiiLookAlike>;

/** Turns a text into what would be written; the default is {@link anonymizeText}. */
export type Redactor = (text: string) => string;

/** Recall of one PII type: how many values, how many fully hidden, and the leaks. */
export interface TypeRecall {
  values: number;
  hidden: number;
  recall: number;
  /** Ids of the values that leaked (any of their letters or digits left in the output). */
  leaked: string[];
}

/** Look-alikes of one kind: how many, how many came out altered, and which. */
export interface KindAltered {
  values: number;
  altered: number;
  share: number;
  ids: string[];
}

/** The figures {@link scorePiiCorpus} returns. */
export interface PiiCorpusScore {
  recall: Record<string, TypeRecall>;
  lookalikes: Record<string, KindAltered>;
  /** Over all types: values hidden / values. */
  overallRecall: number;
  /** Over all kinds: look-alikes altered / look-alikes. */
  overallAltered: number;
}

/**
 * Whether a value leaked: the output still contains the value itself, or the
 * output's stretch where the value stood (between the unchanged text before it
 * and, when it is unchanged too, the text after it; else the next stretch of
 * the value's length) holds any whole piece of 3+ of its letters or digits. A
 * value counts as hidden only when the whole of it is gone, so a partly masked
 * value (`GI75 NWBK <PHONE_1>`) is a leak.
 */
export function leaked(record: PiiCorpusRecord, output: string): boolean {
  if (output.includes(record.value)) return true;
  const before = record.text.slice(0, record.start);
  const after = record.text.slice(record.end);
  const place = !output.startsWith(before)
    ? output
    : output.endsWith(after) && output.length - after.length >= before.length
    ? output.slice(before.length, output.length - after.length)
    : output.slice(before.length, before.length + record.value.length + 12);
  return pieces(record.value).some((p) => p.length >= 3 && wholePiece(p, place));
}

function pieces(value: string): string[] {
  return value.split(/[^\p{L}\p{N}]+/u).filter((p) => p !== "");
}

/** Whether `piece` stands in `text` as a whole run of letters and digits. */
function wholePiece(piece: string, text: string): boolean {
  let at = text.indexOf(piece);
  while (at >= 0) {
    const left = text[at - 1] ?? "";
    const right = text[at + piece.length] ?? "";
    if (!/[\p{L}\p{N}]/u.test(left) && !/[\p{L}\p{N}]/u.test(right)) return true;
    at = text.indexOf(piece, at + 1);
  }
  return false;
}

/**
 * Score a redactor on labelled values and look-alikes.
 *
 * @param corpus PII values, each inside its text.
 * @param lookalikes Values that are not PII; one is altered when the output differs from its text.
 * @param redact What a writing path does to a text. @default anonymizeText's text
 * @returns Per-type recall, per-kind altered shares and overall figures.
 *
 * @example
 * ```ts
 * import { scorePiiCorpus } from "./pii_eval.ts";
 * import assert from "node:assert/strict";
 *
 * const score = scorePiiCorpus(
 *   [{ id: "e1", type: "email", form: "plain", text: "mail a@example.com", value: "a@example.com", start: 5, end: 18 }],
 *   [{ id: "l1", kind: "version", text: "v1.2.3 broke", value: "v1.2.3", start: 0, end: 6 }],
 * );
 * assert.equal(score.recall.email.recall, 1);
 * assert.equal(score.lookalikes.version.altered, 0);
 * ```
 */
export function scorePiiCorpus(
  corpus: readonly PiiCorpusRecord[],
  lookalikes: readonly PiiLookAlike[],
  redact: Redactor = (t) => anonymizeText(t).text,
): PiiCorpusScore {
  const recall: Record<string, TypeRecall> = {};
  for (const r of corpus) {
    const s = recall[r.type] ??= { values: 0, hidden: 0, recall: 0, leaked: [] };
    s.values++;
    if (leaked(r, redact(r.text))) s.leaked.push(r.id);
    else s.hidden++;
  }
  for (const s of Object.values(recall)) s.recall = s.hidden / s.values;
  const kinds: Record<string, KindAltered> = {};
  for (const l of lookalikes) {
    const k = kinds[l.kind] ??= { values: 0, altered: 0, share: 0, ids: [] };
    k.values++;
    if (redact(l.text) !== l.text) {
      k.altered++;
      k.ids.push(l.id);
    }
  }
  for (const k of Object.values(kinds)) k.share = k.altered / k.values;
  const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((n, x) => n + f(x), 0);
  const r = Object.values(recall);
  const k = Object.values(kinds);
  return {
    recall,
    lookalikes: kinds,
    overallRecall: sum(r, (x) => x.hidden) / Math.max(1, sum(r, (x) => x.values)),
    overallAltered: sum(k, (x) => x.altered) / Math.max(1, sum(k, (x) => x.values)),
  };
}

/**
 * The paths of the repository's independent corpus.
 *
 * @param root The repository root. @default this repository
 * @param dir The corpus folder under `root`. @default "tests/fixtures/pii"
 */
export function piiCorpusPaths(
  root = new URL("../../", import.meta.url).pathname,
  dir = "tests/fixtures/pii",
): {
  corpus: string;
  lookalikes: string;
  names: string;
} {
  dir = `${root}${dir}`.replace(/\/$/, "");
  return {
    corpus: `${dir}/corpus.jsonl`,
    lookalikes: `${dir}/lookalikes.jsonl`,
    names: `${dir}/names.jsonl`,
  };
}

/** Read the independent corpus (every line checked by its schema); arguments as {@link piiCorpusPaths}. */
export async function readPiiCorpus(
  root?: string,
  dir?: string,
): Promise<{ corpus: PiiCorpusRecord[]; lookalikes: PiiLookAlike[] }> {
  const p = piiCorpusPaths(root, dir);
  return {
    corpus: await readRecords(p.corpus, PiiCorpusRecord),
    lookalikes: await readRecords(p.lookalikes, PiiLookAlike),
  };
}

/** A person name inside a text (the corpus's `names.jsonl`). */
export const PiiNameRecord = z.object({
  id: z.string(),
  locale: z.string(),
  text: z.string(),
  value: z.string(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
});
/** A person name inside a text. */
export type PiiNameRecord = z.infer<typeof PiiNameRecord>;

/** What a name finder returns for a text: the spans it takes for person names. */
export type NameFinder = (text: string) => { start: number; end: number }[];

/** Precision and recall of a name finder. */
export interface NameFinderScore {
  names: number;
  /** Names of which the finder covered every character. */
  found: number;
  recall: number;
  /** Spans found, over the name texts and the name-free texts. */
  detected: number;
  /** Spans that overlap a labelled name. */
  correct: number;
  precision: number;
}

/**
 * Score a person-name finder: recall over labelled names (a name counts when its
 * whole span is covered), precision over everything it flags in the name texts
 * and in texts that hold no name.
 *
 * @example
 * ```ts
 * import { scoreNameFinder } from "./pii_eval.ts";
 * import assert from "node:assert/strict";
 *
 * const capitalised = (t: string) => [...t.matchAll(/\b[A-Z][a-z]+ [A-Z][a-z]+/g)]
 *   .map((m) => ({ start: m.index, end: m.index + m[0].length }));
 * const s = scoreNameFinder(
 *   [{ id: "n1", locale: "en", text: "ask Ana Lima today", value: "Ana Lima", start: 4, end: 12 }],
 *   ["New York is closed"],
 *   capitalised,
 * );
 * assert.equal(s.recall, 1);
 * assert.equal(s.precision, 0.5);
 * ```
 */
export function scoreNameFinder(
  names: readonly PiiNameRecord[],
  nameFree: readonly string[],
  find: NameFinder,
): NameFinderScore {
  let found = 0;
  let detected = 0;
  let correct = 0;
  for (const n of names) {
    const spans = find(n.text);
    detected += spans.length;
    correct += spans.filter((s) => s.start < n.end && n.start < s.end).length;
    const covered = (i: number) => spans.some((s) => s.start <= i && i < s.end);
    let all = true;
    for (let i = n.start; i < n.end; i++) if (n.text[i] !== " " && !covered(i)) all = false;
    if (all) found++;
  }
  for (const t of nameFree) detected += find(t).length;
  return {
    names: names.length,
    found,
    recall: names.length === 0 ? 0 : found / names.length,
    detected,
    correct,
    precision: detected === 0 ? 0 : correct / detected,
  };
}
