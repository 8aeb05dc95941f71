/**
 * The steps of {@link agreementFor} and {@link comparePromptsFor} that decide what to
 * tell the user: the warnings of one run's agreement, of comparing two runs' judges,
 * and the per-dimension part of the comparison's summary.
 *
 * @module
 */
import type { JudgeMeta } from "../artifact_kinds.ts";
import type { Dimension } from "../schemas.ts";
import type { PromptComparison } from "./compare.ts";
import type { AgreementReport } from "./compute.ts";

/**
 * What an agreement report leaves out or cannot show: rated items not in the run or
 * failed, unrated rows skipped, and no human–human figures (one rater, or no overlap).
 *
 * @param report The report.
 * @param skipped Unrated rows skipped, per rating file.
 */
export function agreementWarnings(
  report: AgreementReport,
  skipped: Readonly<Record<string, number>>,
): string[] {
  const warnings: string[] = [];
  const lo = report.items.left_out;
  if (lo.not_in_run > 0) warnings.push(`${lo.not_in_run} rated items are not in the run: left out`);
  if (lo.judge_failed > 0) warnings.push(`${lo.judge_failed} rated items failed judging: left out`);
  const unrated = Object.values(skipped).reduce((a, b) => a + b, 0);
  if (unrated > 0) warnings.push(`${unrated} unrated rows (no dimension scored) skipped`);
  if (report.raters.length < 2) {
    warnings.push("one rater: no human–human agreement, so no ceiling to compare the judge with");
  } else if (report.items.overlap === 0) {
    warnings.push("no item is rated by two raters: no human–human agreement");
  }
  return warnings;
}

/**
 * What comparing two runs compares: nothing new when judge and prompt are the same,
 * judges (not only prompts) when the judge models differ.
 */
export function judgeWarnings(old: JudgeMeta, candidate: JudgeMeta): string[] {
  if (old.prompt_sha256 === candidate.prompt_sha256 && old.judge_model === candidate.judge_model) {
    return ["both runs used the same judge and prompt version: expect no difference"];
  }
  if (old.judge_model !== candidate.judge_model) {
    return [
      `the runs used different judges ("${old.judge_model}", "${candidate.judge_model}"): this compares judges, not only prompts`,
    ];
  }
  return [];
}

/**
 * The per-dimension part of the comparison's `--json` summary: both verdicts and
 * figures, the difference on the primary metric and on each, and the new run's
 * agreement figures; on the comparison's own dimensions, in its order.
 */
export function comparisonDimensions(comparison: PromptComparison): Record<string, unknown> {
  const dims = Object.keys(comparison.dimensions) as Dimension[];
  return Object.fromEntries(dims.map((d) => {
    const c = comparison.dimensions[d];
    const o = comparison.old.dimensions[d];
    const n = comparison.new.dimensions[d];
    return [d, {
      verdict: n.verdict,
      comparison: c.verdict,
      old: { verdict: o.verdict, value: o.value, ci: o.ci },
      new: { verdict: n.verdict, value: n.value, ci: n.ci },
      diff: c.differences[comparison.metric],
      differences: c.differences,
      judge_vs_humans: n.judge_vs_humans,
      human_vs_human: n.human_vs_human,
      alpha: n.alpha,
    }];
  }));
}
