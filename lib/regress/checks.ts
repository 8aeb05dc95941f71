/**
 * The checks of one regression case (SPEC §4 Regression case): pure functions
 * from a case, the version's response and the judge's scores to a verdict.
 *
 * A case fails when
 * - a dimension named in `min_scores` scored below its minimum,
 * - a `must_include` phrase is missing from the response, or
 * - a `must_not_include` phrase appears in it.
 *
 * Phrases match case-insensitively after normalising whitespace (and Unicode
 * compatibility forms) on both sides: see {@link normalizePhrase}. A case with
 * no response fails ("no response"); a case with `min_scores` whose judgment
 * failed fails too ("not judged"): the gate cannot vouch for what it could not
 * check, so the safe reading is a failure.
 *
 * @module
 */
import { queryText } from "../messages.ts";
import type { Message, RegressionCase } from "../schemas.ts";

/** One reason a case failed (its schema is in `gate_report.ts`). */
export type { CaseFailure } from "./gate_report.ts";
import type { CaseFailure } from "./gate_report.ts";

/** The verdict on one case. */
export interface CaseCheck {
  id: string;
  passed: boolean;
  /** Every failed check, in the order min_scores, must_include, must_not_include. */
  failures: CaseFailure[];
  /** The failures in words, joined by "; " (empty when the case passed). */
  reason: string;
}

/**
 * Text as the phrase checks compare it: Unicode NFKC, lower case, every run of
 * whitespace folded to one space, trimmed.
 *
 * @example
 * ```ts
 * import { normalizePhrase } from "./checks.ts";
 * if (normalizePhrase("  Settings\n >  LABS ") !== "settings > labs") throw new Error();
 * ```
 */
export function normalizePhrase(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/gu, " ").trim();
}

/**
 * A query's text as duplicate detection compares it (the sampler's rule, so a
 * case the sampler would exclude is the case `regress add` calls a duplicate):
 * the query, or the messages' contents joined by one space; lower-cased, ASCII
 * punctuation removed, whitespace folded to one space, trimmed.
 *
 * @example
 * ```ts
 * import { normalizeQuery } from "./checks.ts";
 * if (normalizeQuery({ query: "How do I  VOID an invoice?" }) !== "how do i void an invoice") {
 *   throw new Error();
 * }
 * ```
 */
export function normalizeQuery(
  item: { query?: string | null; messages?: readonly Message[] | null },
): string {
  const text = queryText(item);
  return text.toLowerCase().replace(/[!-/:-@[-`{-~]+/g, "").replace(/\s+/g, " ").trim();
}

/**
 * One failure in words.
 *
 * @example
 * ```ts
 * import { describeFailure } from "./checks.ts";
 * if (describeFailure({ kind: "min_score", dimension: "correctness", got: 2, min: 4 } as never) !== "correctness 2 < 4") throw new Error();
 * ```
 */
export function describeFailure(f: CaseFailure): string {
  switch (f.kind) {
    case "min_score":
      return `${f.dimension} ${f.got} < ${f.min}`;
    case "must_include":
      return `missing "${f.phrase}"`;
    case "must_not_include":
      return `says "${f.phrase}"`;
    case "no_response":
      return `no response (${f.error})`;
    case "not_judged":
      return `not judged (${f.error})`;
  }
}

/** What {@link checkCase} is given about the version's answer to one case. */
export interface CaseEvidence {
  /** The response, or null when there is none. */
  response: string | null;
  /** Why there is no response (a refusal, an endpoint error). @default "no response for this case" */
  responseError?: string;
  /** The judge's scores by dimension (the rubric's), or null when the judgment failed or is missing. */
  scores: Readonly<Record<string, number>> | null;
  /** Why there are no scores. @default "no judgment" */
  judgeError?: string;
}

/**
 * Check one case: its minimum scores, then its required and forbidden phrases.
 *
 * @param regressionCase The case.
 * @param evidence The version's response and the judge's scores.
 * @returns Whether it passed, each failed check, and the reason in words.
 *
 * @example
 * ```ts
 * import { checkCase } from "./checks.ts";
 * const c = { id: "case-001", query: "Can I undo a void?", expected_behavior: "Says voids are final.",
 *   added_on: "2026-06-04", source: "INC-1", min_scores: { correctness: 3 },
 *   must_include: ["cannot be undone"], must_not_include: ["Settings > Labs"] };
 * const scores = { correctness: 2, relevance: 5, clarity: 4, calibration: 4, length: 5 };
 * const r = checkCase(c, { response: "Go to SETTINGS >  labs.", scores });
 * if (r.reason !== 'correctness 2 < 3; missing "cannot be undone"; says "Settings > Labs"') {
 *   throw new Error(r.reason);
 * }
 * ```
 */
export function checkCase(regressionCase: RegressionCase, evidence: CaseEvidence): CaseCheck {
  const id = String(regressionCase.id);
  const failures: CaseFailure[] = [];
  if (evidence.response === null) {
    failures.push({
      kind: "no_response",
      error: evidence.responseError ?? "no response for this case",
    });
  } else {
    const mins = regressionCase.min_scores ?? {};
    // In the order of the rubric: the case's schema (`regressionCaseSchema`) parses them so.
    const named = Object.keys(mins).filter((d) => mins[d] !== undefined);
    if (named.length > 0 && evidence.scores === null) {
      failures.push({ kind: "not_judged", error: evidence.judgeError ?? "no judgment" });
    } else if (evidence.scores !== null) {
      for (const d of named) {
        const got = evidence.scores[d];
        if (got === undefined) {
          failures.push({ kind: "not_judged", error: `the judgment has no ${d} score` });
        } else if (got < mins[d]!) {
          failures.push({ kind: "min_score", dimension: d, min: mins[d]!, got });
        }
      }
    }
    const text = normalizePhrase(evidence.response);
    for (const phrase of regressionCase.must_include ?? []) {
      if (!text.includes(normalizePhrase(phrase))) failures.push({ kind: "must_include", phrase });
    }
    for (const phrase of regressionCase.must_not_include ?? []) {
      if (text.includes(normalizePhrase(phrase))) {
        failures.push({ kind: "must_not_include", phrase });
      }
    }
  }
  return {
    id,
    passed: failures.length === 0,
    failures,
    reason: failures.map(describeFailure).join("; "),
  };
}
