/**
 * The offline judge (`--judge heuristic`): scores from text features alone.
 *
 * - correctness: how many reference facts the response states (token overlap
 *   per fact). An item without reference facts but with an
 *   `expected_behavior` (a regression case) is read through
 *   {@link parseExpectedBehavior}: the facts it asks for are looked for in the
 *   response's sentences, and the wrong claims it forbids ("Does not say …",
 *   "Must not claim …", "avoids the known wrong claim that …") count against
 *   it (see {@link expectedBehaviorCorrectness}). Without either there is no
 *   evidence: the score is a neutral 3 and the judgment is flagged
 *   `no_reference`.
 * - relevance: 4, plus 1 when the opening clause names the question's subject
 *   (a word of the query or the reference), minus 1 per aside or promotional
 *   sentence ("by the way", "did you know", "our blog"), minus 1 when the
 *   response uses almost none of the query's words.
 * - clarity: numbered steps, bullets, then words per sentence.
 * - calibration: hedging against certainty phrases (per sentence, the
 *   strongest), compared with the stance that fits the correctness estimate:
 *   mildly confident when right, hedged when doubtful, strongly hedged when wrong.
 *   So a wrong claim stated confidently scores low. An expected behaviour
 *   only bounds correctness (it names a fact or two, not the whole answer):
 *   the stance must then fit every correctness in the bounds, and the score
 *   is the worst fit.
 * - length: words against the stratum's ideal band, as the team declares it
 *   (`--length-bands FILE`; the demo's is `data/demo_team/length_bands.json`): 5
 *   inside, then one point off per factor of √2 beyond the nearer edge
 *   ({@link lengthScore}). The judge knows nothing of how any data was made.
 *
 * It is a weak, transparent baseline for the demo and for CI, where no model
 * may be called. It never substitutes for an LLM judge: it cannot tell a
 * plausible wrong claim from a right one without reference facts or a known
 * wrong claim, and it reads style and shared words, not meaning.
 *
 * @module
 */
import { z } from "zod";
import { inputError, usageError, zodIssues } from "../_errors.ts";
import { canonicalJson, sha256 } from "../_hash.ts";
import type { Scores } from "../schemas.ts";
import {
  DEFAULT_DIMENSION_SET,
  type DimensionSet,
  isDefaultSet,
  scaleLabel,
} from "../dimensions.ts";
import { itemMessages, type JudgeItem } from "./prompt.ts";

/** The heuristic judge's version; bump it when the scoring changes (it is part of the cache key). */
export const HEURISTIC_VERSION = "heuristic-v3";

/**
 * The name that selects the heuristic judge (`--judge heuristic`).
 *
 * @example
 * ```ts
 * import { HEURISTIC_JUDGE } from "./heuristic.ts";
 * if (HEURISTIC_JUDGE !== "heuristic") throw new Error();
 * ```
 */
export const HEURISTIC_JUDGE = "heuristic";

/**
 * The dimensions the heuristic judge can score: the kit's five on 1–5, and no other.
 * A rubric with other dimensions or another scale needs a model judge.
 */
export const HEURISTIC_DIMENSIONS: DimensionSet = DEFAULT_DIMENSION_SET;

/**
 * Refuse a dimension set the heuristic judge cannot score.
 *
 * @param set The dimensions and scale asked for.
 * @param rubric The rubric file that asks for them, for the message.
 * @throws {RangeError} A usage error naming what it can score and what was asked.
 *
 * @example
 * ```ts
 * import { checkHeuristicSet } from "./heuristic.ts";
 * let refused = false;
 * try { checkHeuristicSet({ dimensions: ["tone"], scale: { min: 1, max: 10 } }); }
 * catch { refused = true; }
 * if (!refused) throw new Error("a custom rubric accepted");
 * ```
 */
export function checkHeuristicSet(set: DimensionSet, rubric?: string): void {
  if (isDefaultSet(set)) return;
  throw usageError(
    `The heuristic judge scores only ${HEURISTIC_DIMENSIONS.dimensions.join(", ")} on ` +
      `${scaleLabel(HEURISTIC_DIMENSIONS.scale)}, not ${set.dimensions.join(", ")} on ` +
      `${scaleLabel(set.scale)}${rubric ? ` (the rubric ${rubric})` : ""}: ` +
      `judge with a model (--judge MODEL) for this rubric`,
  );
}

/** Options for {@link heuristicJudge}. */
export interface HeuristicOptions {
  /** The ideal length in words per stratum: `{ billing: [60, 120] }`. @default {} */
  lengthBands?: Readonly<Record<string, readonly [number, number]>>;
  /** The band for strata without one. @default [40, 150] */
  defaultBand?: readonly [number, number];
}

/** The default band for strata without their own: 40–150 words. */
export const DEFAULT_LENGTH_BAND: readonly [number, number] = [40, 150];

/** What the heuristic judge measured. */
export interface HeuristicFeatures {
  /** Reference facts (or, without them, the expected behaviour's), and how many the response states (half credit for most words of one). */
  facts: number;
  factsStated: number;
  /** The expected behaviour's wrong claims, and how many the response makes (0 and 0 with reference facts). */
  wrongClaims: number;
  wrongClaimsStated: number;
  queryCoverage: number;
  sentences: number;
  offTopicSentences: number;
  digressions: number;
  opensOnSubject: boolean;
  numberedSteps: number;
  bullets: number;
  wordsPerSentence: number;
  /** Hedging minus certainty: > 0 hedged, < 0 confident. */
  stance: number;
  words: number;
  band: readonly [number, number];
}

/** A heuristic judgment. */
export interface HeuristicResult {
  scores: Scores;
  rationale: string;
  /** `no_reference` when correctness had nothing to go on. */
  flags: string[];
  features: HeuristicFeatures;
}

/**
 * The sha256 that stands for the heuristic judge's "prompt": its version and
 * bands. It goes where an LLM judge's prompt sha256 goes (judgments, manifest,
 * cache key).
 *
 * @example
 * ```ts
 * import { heuristicSha } from "./heuristic.ts";
 * if (heuristicSha() === heuristicSha({ lengthBands: { billing: [60, 120] } })) throw new Error();
 * ```
 */
export function heuristicSha(options: HeuristicOptions = {}): string {
  return sha256(canonicalJson({
    judge: HEURISTIC_VERSION,
    bands: options.lengthBands ?? {},
    default_band: options.defaultBand ?? DEFAULT_LENGTH_BAND,
  }));
}

const STOPWORDS = new Set(
  ("a an the and or but if then so to of in on at by for with from into onto over under " +
    "is are was were be been being am do does did done have has had having it its it's this " +
    "that these those there here i me my we our you your he she they them their his her " +
    "what which who whom whose when where why how can could should would will shall may " +
    "might must not no yes as than too very just also about again all any each some such " +
    "up down out off only own same other more most both few once per via please thanks " +
    "thank hi hello hey ok okay lol thx").split(" "),
);

/** Lowercased content words (stopwords out, a plural `s` cut). */
export function contentWords(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.filter((w) => !STOPWORDS.has(w) && (w.length > 1 || /\d/.test(w)))
    .map((w) => (w.length > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.slice(0, -1) : w));
}

/** Words as the length bands count them: whitespace-separated. */
export function wordCount(text: string): number {
  const t = text.trim();
  return t === "" ? 0 : t.split(/\s+/).length;
}

/** Sentences and list items of a text. */
export function sentences(text: string): string[] {
  return text
    .split(/\n+/)
    .flatMap((line) => line.split(/(?<=[.!?])\s+(?=\S)/))
    .map((s) => s.replace(/^\s*(\d+[.)]|[-*•])\s+/, "").trim())
    .filter((s) => /[\p{L}\p{N}]/u.test(s));
}

const HEDGES: [RegExp, number][] = [
  [/\b(i'?m|i am) not (certain|sure|100% sure)\b/i, 2],
  [/\bi (might|may|could) be wrong\b/i, 2],
  [/\bnot (entirely |completely )?sure\b/i, 2],
  [/\bbefore relying on (it|this)\b/i, 2],
  [/\bdon'?t quote me\b/i, 2],
  [/\bi (believe|think)\b/i, 1],
  [/\bdouble[- ]check\b/i, 1],
  [/\bplease (verify|confirm|check)\b/i, 1],
  [/\b(probably|possibly|perhaps)\b/i, 1],
  [/\b(as far as i know|if i remember correctly|i'?m fairly sure)\b/i, 1],
];
const CERTAINTY: [RegExp, number][] = [
  [/\b100% (sure|certain)\b/i, 2],
  [/\bguarantee(d)?\b/i, 2],
  [/\bno doubt\b|\bwithout (a|any) doubt\b/i, 2],
  [/\bdefinitely\b|\babsolutely (certain|sure)\b/i, 2],
  [/\bexactly what to do\b/i, 1],
  [/\bthis is (exactly )?how it works\b/i, 1],
  [/\b(certainly|for sure|rest assured|of course)\b/i, 1],
];
/** Asides and promotion: sentences that leave the question for something else. */
const DIGRESSIONS =
  /\b(by the way|fun fact|did you know|you might also like|unrelated|on another note|speaking of|also (lets you|has an?|offers|use)|can also|we recently|our blog|is great for|check out our|referral)\b/i;

function strongest(sentence: string): number {
  let hedge = 0;
  let sure = 0;
  for (const [re, w] of HEDGES) if (re.test(sentence)) hedge = Math.max(hedge, w);
  for (const [re, w] of CERTAINTY) if (re.test(sentence)) sure = Math.max(sure, w);
  return hedge >= sure ? hedge : -sure;
}

function signed(n: number): string {
  return `${n > 0 ? "+" : ""}${n}`;
}

function clamp(score: number): number {
  return Math.min(5, Math.max(1, Math.round(score)));
}

/** What an expected behaviour asks of an answer: facts to state, wrong claims not to make. */
export interface ExpectedBehavior {
  /** Statements a correct answer makes. */
  facts: string[];
  /** Known wrong claims a correct answer does not make. */
  wrongClaims: string[];
}

/** Who the rule is about, before its verb: "It", "The answer", "The assistant". */
const SUBJECT = String.raw`(?:(?:it|the (?:answer|response|reply|assistant|model|bot))\s+)?`;
/** A negated directive: "does not", "must not", "never", … */
const NEGATED = String
  .raw`(?:(?:does|do|must|should|shall|will)\s+not|doesn'?t|don'?t|mustn'?t|shouldn'?t|won'?t|never)`;
/** A verb of saying, in any form: "say", "claims", "stating". */
const SAYING = String
  .raw`(?:say|claim|state|suggest|imply|tell|mention|assert|repeat|promise|give)(?:s|ing)?`;
/** A clause that forbids a claim: "Does not say", "Must not claim that", "avoids the known wrong claim that". */
const FORBIDS = new RegExp(
  "^" + SUBJECT +
    String
      .raw`(?:${NEGATED}\s+(?:${SAYING}\b\s*)?|(?:avoids?|avoiding)\s+|without\s+${SAYING}\b\s*)` +
    String.raw`(?:(?:the|a|any)\s+)?(?:(?:known|old|previous|common|same|earlier)\s+)*` +
    String.raw`(?:(?:wrong|false|incorrect|mistaken|inaccurate|bad)\s+)?` +
    String
      .raw`(?:(?:claims?|answers?|statements?|advice|ideas?|assertions?)\b\s*)?(?:that\b\s*|:\s*)?`,
  "i",
);
/**
 * Where a forbidding clause joins a sentence: "…, and avoids …", "… but does
 * not say …", "…, without claiming …", "…; …". Mid-sentence, a negation must
 * come with a verb of saying, so "voids are final and never expire" stays whole.
 */
const FORBID_JOIN = new RegExp(
  String.raw`\s*;\s*|,?\s+(?:(?:and|but)\s+)?(?=` + SUBJECT +
    String.raw`(?:${NEGATED}\s+${SAYING}\b|(?:avoids?|avoiding)\b|without\s+${SAYING}\b))`,
  "i",
);
/** The verb that introduces a fact: "States that", "Gives the correct answer:", "Answers with … (…)"; not a noun ("Notes are …"). */
const ASSERTS = new RegExp(
  "^" + SUBJECT + String.raw`(?:(?:should|must|will)\s+)?(?:correctly\s+|clearly\s+)?` +
    String
      .raw`(?:states?|says?|explains?|confirms?|mentions?|notes?|tells?(?:\s+(?:the\s+(?:user|customer)|them))?|answers?|gives?|replies|responds?|points?\s+out|clarifies|recommends?|suggests?)\b` +
    String
      .raw`(?!\s+(?:are|is|was|were|can|cannot|will|must|may|should|have|has|do|does|don'?t)\b)\s*`,
  "i",
);

/** A short label before a colon: "Correct answer:", "Expected:". */
const LABEL = /^(?:\p{L}+\s+){0,3}\p{L}+:\s+/u;

/** The statement a positive clause makes, without its introducing verb or label. */
function assertedText(clause: string): string {
  const m = clause.match(ASSERTS);
  if (!m) return clause.replace(LABEL, "");
  const rest = clause.slice(m[0].length);
  const colon = rest.match(/^[^:()]{0,60}:\s*/);
  if (colon) return rest.slice(colon[0].length);
  const paren = rest.match(/^[^()]{0,60}\(([^()]+)\)/);
  if (paren) return paren[1];
  return rest.replace(/^that\s+/i, "");
}

/**
 * Read an expected behaviour (a regression case's `expected_behavior`) as the
 * facts a correct answer states and the wrong claims it must not make.
 *
 * Each sentence is cut where a forbidding clause joins it ("…, and avoids
 * …", "…; does not say …"). A clause that opens by forbidding ("Does not say
 * X", "Must not claim that X", "Never says X", "avoids the known wrong claim
 * that X", optionally after "It" or "The answer") gives the wrong claim X; any
 * other clause gives a fact, without its introducing verb or label: "States
 * that X", "Says X", "Gives the correct answer: X", "Answers with the
 * documented behaviour (X)", "Correct answer: X" all give X, and a sentence
 * with neither is a fact as it stands. Clauses without a content word are
 * dropped.
 *
 * @param text The expected behaviour.
 * @returns The facts and the wrong claims, in the order they appear; both empty for empty text.
 *
 * @example
 * ```ts
 * import { parseExpectedBehavior } from "./heuristic.ts";
 * const e = parseExpectedBehavior(
 *   "States that voids are final. Must not claim that a void can be undone.",
 * );
 * if (e.facts[0] !== "voids are final" || e.wrongClaims[0] !== "a void can be undone") {
 *   throw new Error(JSON.stringify(e));
 * }
 * ```
 */
export function parseExpectedBehavior(text: string): ExpectedBehavior {
  const facts: string[] = [];
  const wrongClaims: string[] = [];
  for (const sentence of sentences(text)) {
    for (const raw of sentence.split(FORBID_JOIN)) {
      const clause = raw.trim();
      const forbid = clause.match(FORBIDS);
      const statement = (forbid ? clause.slice(forbid[0].length) : assertedText(clause))
        .replace(/^[\s"'“‘(]+|[\s"'”’).!?:;,]+$/g, "");
      if (contentWords(statement).length === 0) continue;
      (forbid ? wrongClaims : facts).push(statement);
    }
  }
  return { facts, wrongClaims };
}

/** Words that flip or narrow a statement: a clause must agree with a statement on them. */
const NEGATION =
  /\b(?:not|no|never|cannot|can't|won't|don't|doesn't|isn't|aren't|didn't|wasn't|without|nothing|none)\b/i;

/** Stopwords that narrow a claim ("only monthly", "all payouts", "the same day"): kept in statements. */
const QUALIFIERS = /\b(?:only|all|every|each|any|same|more|most)\b/gi;

/** A statement's words as {@link statementShare} matches them: content words and qualifiers. */
function statementWords(text: string): string[] {
  const words = new Set(contentWords(text));
  for (const q of text.match(QUALIFIERS) ?? []) words.add(q.toLowerCase());
  return [...words];
}

/** Sentences cut where a run-on joins clauses (", and", ", so", " and then"). */
function clauses(text: string): string[] {
  return sentences(text).flatMap((s) => s.split(/,\s*(?:and|so|also)\s+|\s+and then\s+/i))
    .filter((c) => /[\p{L}\p{N}]/u.test(c));
}

/**
 * The largest share of a statement's words that one clause of the response
 * holds, counting only clauses that agree with the statement on negation (so
 * "webhooks are signed" does not state "webhooks are not signed").
 */
function statementShare(statement: string, responseClauses: readonly string[]): number {
  const words = statementWords(statement);
  if (words.length === 0) return 0;
  const negated = NEGATION.test(statement);
  let best = 0;
  for (const clause of responseClauses) {
    if (NEGATION.test(clause) !== negated) continue;
    const have = new Set(statementWords(clause));
    best = Math.max(best, words.filter((w) => have.has(w)).length / words.length);
  }
  return best;
}

/** Correctness as an expected behaviour bounds it: a point estimate and the range it stands for. */
export interface BoundedCorrectness {
  /** The estimate reported as the correctness score. */
  correctness: number;
  /** The lowest and highest correctness the evidence allows. */
  range: readonly [number, number];
}

/**
 * Correctness from an expected behaviour's evidence. The behaviour names a
 * fact or two and a known wrong claim, not the whole answer, so the evidence
 * bounds correctness rather than fixing it:
 *
 * - a wrong claim made: 1–2 (reported 2 when at least half the facts are
 *   stated too, else 1);
 * - the facts stated (share ≥ 0.9), no wrong claim: 3–5, reported 4;
 * - some stated (share ≥ 0.4): 2–4, reported 3;
 * - fewer: 1–2, reported 2;
 * - no facts to look for and no wrong claim made: 3–5, reported 3 (nothing
 *   confirmed, the known failure avoided).
 *
 * @param factShare The share of the facts stated (half credit counts half), or null when the behaviour names none.
 * @param wrongClaimsStated How many of its wrong claims the response makes.
 *
 * @example
 * ```ts
 * import { expectedBehaviorCorrectness } from "./heuristic.ts";
 * const right = expectedBehaviorCorrectness(1, 0);
 * if (right.correctness !== 4 || right.range[0] !== 3 || right.range[1] !== 5) throw new Error();
 * if (expectedBehaviorCorrectness(0, 1).correctness !== 1) throw new Error();
 * ```
 */
export function expectedBehaviorCorrectness(
  factShare: number | null,
  wrongClaimsStated: number,
): BoundedCorrectness {
  if (wrongClaimsStated > 0) {
    return { correctness: (factShare ?? 0) >= 0.5 ? 2 : 1, range: [1, 2] };
  }
  if (factShare === null) return { correctness: 3, range: [3, 5] };
  if (factShare >= 0.9) return { correctness: 4, range: [3, 5] };
  if (factShare >= 0.4) return { correctness: 3, range: [2, 4] };
  return { correctness: 2, range: [1, 2] };
}

/** The stance that fits a correctness: mildly confident (−1) when right, hedged (+1) at 3, strongly hedged (+2) when wrong. */
function idealStance(correctness: number): number {
  return correctness >= 4 ? -1 : correctness === 3 ? 1 : 2;
}

/**
 * The length score of `words` words against a band: 5 inside it; outside, one point off
 * per factor of √2 beyond the nearer edge (up to √2 times too long or too short: 4; up to
 * 2×: 3; up to 2√2×: 2; beyond: 1). The rule is the heuristic's own, a log-scale
 * tolerance: it is not how any data set's true length scores were made.
 *
 * @param words The response's word count.
 * @param band The ideal `[lo, hi]` word counts.
 * @returns An integer 1–5.
 *
 * @example
 * ```ts
 * import { lengthScore } from "./heuristic.ts";
 * if (lengthScore(80, [60, 120]) !== 5 || lengthScore(160, [60, 120]) !== 4) throw new Error();
 * if (lengthScore(300, [60, 120]) !== 2 || lengthScore(10, [60, 120]) !== 1) throw new Error();
 * ```
 */
export function lengthScore(words: number, band: readonly [number, number]): number {
  const [lo, hi] = band;
  if (words >= lo && words <= hi) return 5;
  const ratio = words > hi ? words / hi : lo / Math.max(words, 1);
  // Halvings of the ratio on a log2 scale, rounded up; 1e-9 keeps √2 itself a 4.
  return Math.max(1, 5 - Math.ceil(2 * Math.log2(ratio) - 1e-9));
}

/**
 * Ideal answer lengths per stratum, in words: `{"billing": [60, 120]}`.
 *
 * @example
 * ```ts
 * import { LengthBands } from "./heuristic.ts";
 * LengthBands.parse({ billing: [60, 120] });
 * if (LengthBands.safeParse({ billing: [120, 60] }).success) throw new Error("lo > hi accepted");
 * ```
 */
export const LengthBands = z.record(
  z.string().min(1),
  z.tuple([z.number().nonnegative(), z.number().nonnegative()])
    .refine(([lo, hi]) => lo <= hi, "expected [lo, hi] with lo <= hi"),
).refine((v) => Object.keys(v).length > 0, 'expected an object {"stratum": [lo, hi]}');
/** Ideal answer lengths per stratum. */
export type LengthBands = z.infer<typeof LengthBands>;

/**
 * Read a length-bands file (what a team declares as the ideal length per stratum).
 *
 * @throws {TypeError} `Cannot read "file": field "billing": ...` for a bad band;
 *   {SyntaxError} for a file that is not JSON.
 *
 * @example
 * ```ts
 * import { readLengthBands } from "./heuristic.ts";
 * const file = await Deno.makeTempFile({ suffix: ".json" });
 * await Deno.writeTextFile(file, '{"billing": [60, 120]}');
 * if ((await readLengthBands(file)).billing[1] !== 120) throw new Error();
 * await Deno.remove(file);
 * ```
 */
export async function readLengthBands(file: string): Promise<LengthBands> {
  let value: unknown;
  try {
    value = JSON.parse(await Deno.readTextFile(file));
  } catch (e) {
    throw inputError([{
      file,
      line: 0,
      problem: e instanceof Deno.errors.NotFound
        ? "no such file"
        : `not JSON (${(e as Error).message})`,
      kind: e instanceof Deno.errors.NotFound ? "type" : "syntax",
    }]);
  }
  const parsed = LengthBands.safeParse(value);
  if (!parsed.success) throw inputError(zodIssues(parsed.error, value, file, 0));
  return parsed.data;
}

/**
 * Score a response from its text features.
 *
 * @param item The item: its query or conversation, reference facts (or, without them, expected behaviour) and stratum.
 * @param response The response to score.
 * @param options Length bands per stratum.
 * @returns Five scores, a rationale naming the features, flags and the features.
 *
 * @example
 * ```ts
 * import { heuristicJudge } from "./heuristic.ts";
 * const item = { id: "q1", query: "How do I void an invoice?", stratum: "billing",
 *   reference: ["Invoices can be voided within 30 days of issue"] };
 * const good = heuristicJudge(item, "1. Open the invoice.\n2. Invoices can be voided within 30 days of issue.");
 * const bad = heuristicJudge(item, "so basically just delete it and then its gone and then email them");
 * if (good.scores.correctness <= bad.scores.correctness) throw new Error("correctness");
 * if (good.scores.clarity <= bad.scores.clarity) throw new Error("clarity");
 * ```
 */
export function heuristicJudge(
  item: JudgeItem,
  response: string,
  options: HeuristicOptions = {},
): HeuristicResult {
  const flags: string[] = [];
  const sents = sentences(response);
  const facts = item.reference ?? [];
  const c = correctnessOf(item, response);
  if (c.range === null) flags.push("no_reference");
  const r = relevanceOf(item, response, sents);
  const words = wordCount(response);
  const cl = clarityOf(response, sents, words);
  const stance = sents.reduce((sum, x) => sum + strongest(x), 0);
  const { calibration, ideals } = calibrationOf(stance, c.range);
  const band = (item.stratum !== undefined ? options.lengthBands?.[item.stratum] : undefined) ??
    options.defaultBand ?? DEFAULT_LENGTH_BAND;
  const length = lengthScore(words, band);
  const features: HeuristicFeatures = {
    facts: facts.length > 0 ? facts.length : c.expected.facts.length,
    factsStated: c.factsStated,
    wrongClaims: c.expected.wrongClaims.length,
    wrongClaimsStated: c.wrongClaimsStated,
    queryCoverage: Math.round(r.queryCoverage * 100) / 100,
    sentences: sents.length,
    offTopicSentences: r.offTopic,
    digressions: r.digressions,
    opensOnSubject: r.opensOnSubject,
    numberedSteps: cl.numberedSteps,
    bullets: cl.bullets,
    wordsPerSentence: Math.round(cl.wordsPerSentence * 10) / 10,
    stance,
    words,
    band,
  };
  const rationale = [
    `correctness: ${c.note}`,
    `relevance: ${
      r.opensOnSubject ? "opens on the subject" : "generic opening"
    }, ${r.digressions} digressions, ${Math.round(r.queryCoverage * 100)}% of query words used`,
    `clarity: ${cl.numberedSteps} numbered steps, ${cl.bullets} bullets, ${features.wordsPerSentence} words per sentence`,
    `calibration: stance ${signed(stance)} (hedged > 0 > confident) where ${
      ideals.map(signed).join(" or ")
    } fits`,
    `length: ${words} words, ideal ${band[0]}-${band[1]}${
      item.stratum !== undefined ? ` (${item.stratum})` : ""
    }`,
    "heuristic judge: a weak text-feature baseline, not an LLM judgment",
  ].join("; ");
  return {
    scores: {
      correctness: c.correctness,
      relevance: r.relevance,
      clarity: cl.clarity,
      calibration,
      length,
    },
    rationale,
    flags,
    features,
  };
}

/** Correctness and its evidence: reference facts stated or, without them, the expected behaviour's. */
function correctnessOf(item: JudgeItem, response: string): {
  correctness: number;
  /** The correctness range the calibration must fit; null when there is no evidence. */
  range: readonly [number, number] | null;
  factsStated: number;
  wrongClaimsStated: number;
  expected: ExpectedBehavior;
  note: string;
} {
  const responseWords = new Set(contentWords(response));
  const facts = item.reference ?? [];
  let factsStated = 0;
  for (const fact of facts) {
    const words = [...new Set(contentWords(fact))];
    if (words.length === 0) continue;
    const share = words.filter((w) => responseWords.has(w)).length / words.length;
    factsStated += share >= 0.8 ? 1 : share >= 0.5 ? 0.5 : 0;
  }
  const expected = facts.length === 0 && item.expected_behavior
    ? parseExpectedBehavior(item.expected_behavior)
    : { facts: [], wrongClaims: [] };
  if (facts.length > 0) {
    const share = factsStated / facts.length;
    const correctness = share >= 0.9
      ? 5
      : share >= 0.65
      ? 4
      : share >= 0.4
      ? 3
      : share >= 0.15
      ? 2
      : 1;
    return {
      correctness,
      range: [correctness, correctness],
      factsStated,
      wrongClaimsStated: 0,
      expected,
      note: `${factsStated} of ${facts.length} reference facts stated`,
    };
  }
  if (expected.facts.length + expected.wrongClaims.length === 0) {
    return {
      correctness: 3,
      range: null,
      factsStated,
      wrongClaimsStated: 0,
      expected,
      note: "no reference facts, neutral 3",
    };
  }
  const responseClauses = clauses(response);
  for (const fact of expected.facts) {
    const share = statementShare(fact, responseClauses);
    factsStated += share >= 0.8 ? 1 : share >= 0.5 ? 0.5 : 0;
  }
  const wrongClaimsStated =
    expected.wrongClaims.filter((c) => statementShare(c, responseClauses) >= 0.8).length;
  const bounded = expectedBehaviorCorrectness(
    expected.facts.length === 0 ? null : factsStated / expected.facts.length,
    wrongClaimsStated,
  );
  return {
    correctness: bounded.correctness,
    range: bounded.range,
    factsStated,
    wrongClaimsStated,
    expected,
    note: `${factsStated} of ${expected.facts.length} expected facts stated, ` +
      `${wrongClaimsStated} of ${expected.wrongClaims.length} known wrong claims made, ` +
      `so ${bounded.range[0]}-${bounded.range[1]}`,
  };
}

/** Relevance: the query's words used, off-topic sentences, digressions, the opening's subject. */
function relevanceOf(item: JudgeItem, response: string, sents: readonly string[]) {
  const responseWords = new Set(contentWords(response));
  const facts = item.reference ?? [];
  const turns = itemMessages(item);
  const lastUser = [...turns].reverse().find((m) => m.role === "user")?.content ?? "";
  const queryWords = new Set(contentWords(lastUser));
  const contextWords = new Set([
    ...queryWords,
    ...turns.flatMap((m) => contentWords(m.content)),
    ...facts.flatMap((f) => contentWords(f)),
  ]);
  const queryCoverage = queryWords.size === 0
    ? 1
    : [...queryWords].filter((w) => responseWords.has(w)).length / queryWords.size;
  const offTopic = sents.filter((s) => !contentWords(s).some((w) => contextWords.has(w))).length;
  const digressions = sents.filter((s) => DIGRESSIONS.test(s)).length;
  // The opening clause names the question's subject (a word of the query or of the reference).
  const subject = new Set([...queryWords, ...facts.flatMap((f) => contentWords(f))]);
  const opening = (sents[0] ?? "").replace(/^so basically\s+/i, "")
    .split(/,|;|\s(?:and|so|also|but)\s/i)[0];
  const opensOnSubject = contentWords(opening).some((w) => subject.has(w));
  const relevance = clamp(
    4 - digressions + (opensOnSubject ? 1 : 0) -
      (queryWords.size > 0 && queryCoverage < 0.1 ? 1 : 0),
  );
  return { relevance, queryCoverage, offTopic, digressions, opensOnSubject };
}

/** Clarity: structure (numbered steps, bullets), then sentence length; run-ons capped at 2. */
function clarityOf(response: string, sents: readonly string[], words: number) {
  const numberedSteps = (response.match(/^\s*\d+[.)]\s+\S/gm) ?? []).length;
  const bullets = (response.match(/^\s*[-*•]\s+\S/gm) ?? []).length;
  const wordsPerSentence = sents.length === 0 ? words : words / sents.length;
  let clarity: number;
  if (words === 0) clarity = 1;
  else if (numberedSteps >= 2 && wordsPerSentence <= 30) clarity = 5;
  else if (bullets >= 2 && wordsPerSentence <= 30) clarity = 4;
  else if (sents.length <= 2 && wordsPerSentence <= 20) clarity = 4;
  else if (wordsPerSentence <= 22) clarity = 3;
  else if (wordsPerSentence <= 45) clarity = 2;
  else clarity = 1;
  if (/^\s*so basically\b/i.test(response) || /,? and then\b.*,? and then\b/i.test(response)) {
    clarity = Math.min(clarity, 2);
  }
  return { clarity, numberedSteps, bullets, wordsPerSentence };
}

/**
 * Calibration: the stance against the stances that fit a correctness in the range (0
 * without evidence); the worst fit counts.
 */
function calibrationOf(
  stance: number,
  range: readonly [number, number] | null,
): { calibration: number; ideals: number[] } {
  const ideals = range === null ? [0] : [
    ...new Set(
      Array.from({ length: range[1] - range[0] + 1 }, (_, k) => idealStance(range[0] + k)),
    ),
  ].sort((a, b) => a - b);
  return { calibration: clamp(5 - Math.max(...ideals.map((i) => Math.abs(stance - i)))), ideals };
}
