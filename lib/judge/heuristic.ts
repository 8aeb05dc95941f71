/**
 * The offline judge (`--judge heuristic`): scores from text features alone.
 *
 * - correctness: how many reference facts the response states (token overlap
 *   per fact). Without reference facts there is no evidence either way: the
 *   score is a neutral 3 and the judgment is flagged `no_reference`.
 * - relevance: 4, plus 1 when the opening clause names the question's subject
 *   (a word of the query or the reference), minus 1 per aside or promotional
 *   sentence ("by the way", "did you know", "our blog"), minus 1 when the
 *   response uses almost none of the query's words.
 * - clarity: numbered steps, bullets, then words per sentence.
 * - calibration: hedging against certainty phrases (per sentence, the
 *   strongest), compared with the stance that fits the correctness estimate:
 *   mildly confident when right, hedged when doubtful, strongly hedged when wrong.
 * - length: words against the stratum's ideal band (5 inside; 4/3/2/1 as the
 *   ratio to the nearer edge passes 1.35, 1.8, 2.7).
 *
 * It is a weak, transparent baseline for the demo and for CI, where no model
 * may be called. It never substitutes for an LLM judge: it cannot tell a
 * plausible wrong claim from a right one without reference facts, and it
 * reads style, not meaning.
 *
 * @module
 */
import { canonicalJson, sha256 } from "../_hash.ts";
import type { Scores } from "../schemas.ts";
import { itemMessages, type JudgeItem } from "./prompt.ts";

/** The heuristic judge's version; bump it when the scoring changes (it is part of the cache key). */
export const HEURISTIC_VERSION = "heuristic-v1";

/** The name that selects the heuristic judge (`--judge heuristic`). */
export const HEURISTIC_JUDGE = "heuristic";

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
  /** Reference facts, and how many the response states (half credit for most words of one). */
  facts: number;
  factsStated: number;
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

function clamp(score: number): number {
  return Math.min(5, Math.max(1, Math.round(score)));
}

/**
 * The length score of `words` words against a band: 5 inside, then 4/3/2/1
 * as the ratio to the nearer edge passes 1.35, 1.8 and 2.7.
 *
 * @example
 * ```ts
 * import { lengthScore } from "./heuristic.ts";
 * if (lengthScore(80, [60, 120]) !== 5 || lengthScore(300, [60, 120]) !== 2) throw new Error();
 * ```
 */
export function lengthScore(words: number, band: readonly [number, number]): number {
  const [lo, hi] = band;
  if (words >= lo && words <= hi) return 5;
  const ratio = words > hi ? words / hi : lo / Math.max(words, 1);
  if (ratio <= 1.35) return 4;
  if (ratio <= 1.8) return 3;
  if (ratio <= 2.7) return 2;
  return 1;
}

/**
 * Score a response from its text features.
 *
 * @param item The item: its query or conversation, reference facts and stratum.
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
  const responseWords = new Set(contentWords(response));
  const sents = sentences(response);

  // correctness: reference facts stated.
  const facts = item.reference ?? [];
  let factsStated = 0;
  for (const fact of facts) {
    const words = [...new Set(contentWords(fact))];
    if (words.length === 0) continue;
    const share = words.filter((w) => responseWords.has(w)).length / words.length;
    factsStated += share >= 0.8 ? 1 : share >= 0.5 ? 0.5 : 0;
  }
  let correctness: number;
  if (facts.length === 0) {
    correctness = 3;
    flags.push("no_reference");
  } else {
    const share = factsStated / facts.length;
    correctness = share >= 0.9 ? 5 : share >= 0.65 ? 4 : share >= 0.4 ? 3 : share >= 0.15 ? 2 : 1;
  }

  // relevance: the query's words used, off-topic sentences, digressions.
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

  // clarity: structure, then sentence length.
  const numberedSteps = (response.match(/^\s*\d+[.)]\s+\S/gm) ?? []).length;
  const bullets = (response.match(/^\s*[-*•]\s+\S/gm) ?? []).length;
  const words = wordCount(response);
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

  // calibration: stance against the stance the correctness estimate calls for.
  const stance = sents.reduce((sum, s) => sum + strongest(s), 0);
  const ideal = facts.length === 0 ? 0 : correctness >= 4 ? -1 : correctness === 3 ? 1 : 2;
  const calibration = clamp(5 - Math.abs(stance - ideal));

  // length: words against the stratum's band.
  const band = (item.stratum !== undefined ? options.lengthBands?.[item.stratum] : undefined) ??
    options.defaultBand ?? DEFAULT_LENGTH_BAND;
  const length = lengthScore(words, band);

  const features: HeuristicFeatures = {
    facts: facts.length,
    factsStated,
    queryCoverage: Math.round(queryCoverage * 100) / 100,
    sentences: sents.length,
    offTopicSentences: offTopic,
    digressions,
    opensOnSubject,
    numberedSteps,
    bullets,
    wordsPerSentence: Math.round(wordsPerSentence * 10) / 10,
    stance,
    words,
    band,
  };
  const rationale = [
    facts.length === 0
      ? "correctness: no reference facts, neutral 3"
      : `correctness: ${factsStated} of ${facts.length} reference facts stated`,
    `relevance: ${
      opensOnSubject ? "opens on the subject" : "generic opening"
    }, ${digressions} digressions, ${Math.round(queryCoverage * 100)}% of query words used`,
    `clarity: ${numberedSteps} numbered steps, ${bullets} bullets, ${features.wordsPerSentence} words per sentence`,
    `calibration: stance ${stance > 0 ? "+" : ""}${stance} (hedged > 0 > confident) where ${
      ideal > 0 ? "+" : ""
    }${ideal} fits`,
    `length: ${words} words, ideal ${band[0]}-${band[1]}${
      item.stratum !== undefined ? ` (${item.stratum})` : ""
    }`,
    "heuristic judge: a weak text-feature baseline, not an LLM judgment",
  ].join("; ");
  return {
    scores: { correctness, relevance, clarity, calibration, length },
    rationale,
    flags,
    features,
  };
}
