/**
 * Reading a judge's reply: the JSON object (code fences, `<think>` blocks and
 * text around it are tolerated), a string rationale, and one score per
 * dimension of the scale.
 *
 * Lenient, never wrong: a score written as an integer string (`"4"`), an
 * integral decimal (`4.0`, `"4.0"`) or a fraction of the scale's maximum
 * (`"4/5"`) is read as that integer, and the judgment keeps the raw reply.
 * A score outside the scale, a non-integral number (`3.5`), words (`"four"`),
 * another fraction (`"4/10"` on 1–5) or a missing dimension is a problem in
 * words: the judge is asked once more, then the judgment fails with it.
 *
 * The dimensions and the scale are a parameter ({@link ScoreScale}), so a rubric
 * may declare its own.
 *
 * @module
 */
import { DIMENSIONS } from "../schemas.ts";

/** The dimensions a reply must score, and the scale's bounds (integers). */
export interface ScoreScale {
  dimensions: readonly string[];
  min: number;
  max: number;
}

/** The five default dimensions, scored 1–5. */
export const DEFAULT_SCALE: ScoreScale = Object.freeze({
  dimensions: DIMENSIONS,
  min: 1,
  max: 5,
});

/** A usable reply. */
export interface ParsedReply {
  ok: true;
  output: { rationale: string; scores: Record<string, number> };
  /** Some score was written leniently (a string, `4.0`, `4/5`): keep the raw reply. */
  lenient: boolean;
}

/** An unusable reply and why, in words (sent back to the judge once). */
export interface ReplyProblem {
  ok: false;
  error: string;
}

function shorten(text: string): string {
  return text.length > 80 ? text.slice(0, 77) + "..." : text;
}

/** The JSON object in a reply's text, or the problem. */
function extractObject(text: string): { value: unknown } | ReplyProblem {
  let body = text.replace(/<think>[\s\S]*?<\/think>/gi, "").trim();
  const fenced = /^```(?:json)?\s*([\s\S]*?)\s*```$/i.exec(body);
  if (fenced) body = fenced[1];
  if (!body.startsWith("{")) {
    const start = body.indexOf("{");
    const end = body.lastIndexOf("}");
    if (start < 0 || end <= start) {
      return { ok: false, error: `not a JSON object: ${JSON.stringify(shorten(text))}` };
    }
    body = body.slice(start, end + 1);
  }
  try {
    return { value: JSON.parse(body) };
  } catch (e) {
    return { ok: false, error: `not valid JSON (${(e as Error).message})` };
  }
}

/**
 * One score read against the scale.
 *
 * @returns The integer and whether it was written leniently, or the problem.
 *
 * @example
 * ```ts
 * import { DEFAULT_SCALE, readScore } from "./reply.ts";
 * const four = readScore("4/5", DEFAULT_SCALE);
 * if (!("score" in four) || four.score !== 4 || !four.lenient) throw new Error();
 * if ("score" in readScore(3.5, DEFAULT_SCALE)) throw new Error("accepted a fraction");
 * ```
 */
export function readScore(
  value: unknown,
  scale: ScoreScale,
): { score: number; lenient: boolean } | { problem: string } {
  const expected = `expected an integer from ${scale.min} to ${scale.max}`;
  let n: number | null = null;
  let lenient = false;
  if (typeof value === "number") n = value;
  else if (typeof value === "string") {
    const s = value.trim();
    const frac = /^(-?\d+(?:\.0+)?)\s*\/\s*(\d+)$/.exec(s);
    if (/^-?\d+(\.0+)?$/.test(s)) n = Number(s);
    else if (frac && Number(frac[2]) === scale.max) n = Number(frac[1]);
    lenient = n !== null;
  }
  if (value === undefined) return { problem: `${expected}, missing` };
  const received = `received ${JSON.stringify(value)}`;
  if (n === null || !Number.isFinite(n)) return { problem: `${expected}, ${received}` };
  if (!Number.isInteger(n)) return { problem: `${expected}, ${received} (not a whole number)` };
  if (n < scale.min || n > scale.max) return { problem: `${expected}, ${received} (out of scale)` };
  return { score: n, lenient };
}

/**
 * Parse and validate a judge reply against a scale.
 *
 * @param text The reply's text.
 * @param scale The dimensions and bounds. @default {@link DEFAULT_SCALE}
 * @returns The rationale and scores (and whether any was lenient), or the problems in words.
 *
 * @example
 * ```ts
 * import { parseJudgeReply } from "./reply.ts";
 * const ok = parseJudgeReply('{"rationale":"r","scores":{"correctness":"4","relevance":5,"clarity":"3/5","calibration":4.0,"length":5}}');
 * if (!ok.ok || ok.output.scores.correctness !== 4 || !ok.lenient) throw new Error();
 * const bad = parseJudgeReply('{"rationale":"r","scores":{"correctness":7,"relevance":5,"clarity":3,"calibration":4,"length":5}}');
 * if (bad.ok || !bad.error.includes("scores.correctness")) throw new Error("accepted 7");
 * ```
 */
export function parseJudgeReply(
  text: string,
  scale: ScoreScale = DEFAULT_SCALE,
): ParsedReply | ReplyProblem {
  const extracted = extractObject(text);
  if ("ok" in extracted) return extracted;
  const value = extracted.value;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, error: `(root): expected an object, received ${JSON.stringify(value)}` };
  }
  const obj = value as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof obj.rationale !== "string") {
    problems.push(
      `rationale: expected string, ${
        obj.rationale === undefined ? "missing" : `received ${JSON.stringify(obj.rationale)}`
      }`,
    );
  }
  const raw = obj.scores;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    problems.push(
      `scores: expected an object, ${
        raw === undefined ? "missing" : "received " + JSON.stringify(raw)
      }`,
    );
    return { ok: false, error: problems.join("; ") };
  }
  const given = raw as Record<string, unknown>;
  const scores: Record<string, number> = {};
  let lenient = false;
  for (const d of scale.dimensions) {
    const read = readScore(given[d], scale);
    if ("problem" in read) problems.push(`scores.${d}: ${read.problem}`);
    else {
      scores[d] = read.score;
      lenient ||= read.lenient;
    }
  }
  for (const k of Object.keys(given)) {
    if (!scale.dimensions.includes(k)) problems.push(`scores.${k}: not a dimension of the rubric`);
  }
  if (problems.length > 0) return { ok: false, error: problems.join("; ") };
  return { ok: true, output: { rationale: obj.rationale as string, scores }, lenient };
}
