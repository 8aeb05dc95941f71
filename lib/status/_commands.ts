/**
 * The commands the report and the status suggest, written once.
 *
 * @module
 */

/**
 * How to get a human sample of a judge run: blind sheets for two raters, then
 * agreement on what they filled in.
 *
 * @example
 * ```ts
 * import { humanSampleCommand } from "./_commands.ts";
 * if (!humanSampleCommand("runs/judge-1", "runs", 50).startsWith("evalkit review export")) throw new Error();
 * ```
 */
export function humanSampleCommand(run: string, runs: string, n: number): string {
  return `evalkit review export --run ${run} --n ${n} --raters a,b --out ${runs} ; ` +
    `(raters a and b fill ${runs}/review-<id>/ratings_a.csv and ratings_b.csv) ; ` +
    `evalkit agreement --run ${run} --ratings ${runs}/review-<id>/ratings_a.csv ` +
    `${runs}/review-<id>/ratings_b.csv`;
}
