/**
 * The steps of {@link releaseDeltas}: which two runs of consecutive releases are
 * compared, each dimension's paired eval delta, and each prod metric's change.
 *
 * @module
 */
import type { PairedScores } from "../compare/pair.ts";
import type { Dimension } from "../schemas.ts";
import { pairedDifference } from "../stats/paired.ts";
import type { DeltaRelease, DeltaRun, DimensionDelta, MetricDelta } from "./deltas.ts";

/** Two runs judged alike, one of each release; `rebaselined` when either is not its release's main run. */
export interface RunMatch {
  ra: DeltaRun;
  rb: DeltaRun;
  rebaselined: boolean;
}

function runKey(r: DeltaRun): string {
  return `${r.evalset_sha256}\u0000${r.judge_model}\u0000${r.prompt_sha256}`;
}

/**
 * The runs to compare: the later release's runs in order, each against the earlier
 * release's in order; the first two sharing eval set, judge model and prompt. Undefined
 * when no two do.
 */
export function matchRuns(a: DeltaRelease, b: DeltaRelease): RunMatch | undefined {
  for (const rb of b.runs) {
    const ra = a.runs.find((r) => runKey(r) === runKey(rb));
    if (ra) return { ra, rb, rebaselined: ra !== a.runs[0] || rb !== b.runs[0] };
  }
  return undefined;
}

/**
 * Each dimension's paired delta later − earlier with its interval and p-value, and
 * `moved` ±1 when the interval excludes 0.
 */
export function dimensionDeltas(
  paired: PairedScores,
  options: { resamples: number; level: number; seed: number },
): Record<Dimension, DimensionDelta> {
  const deltas = {} as Record<Dimension, DimensionDelta>;
  for (const d of Object.keys(paired.baseline) as Dimension[]) {
    const r = pairedDifference(paired.baseline[d], paired.candidate[d], options);
    deltas[d] = {
      diff: r.diff,
      ci: r.ci,
      p_value: r.p_value,
      mean_from: r.mean_a,
      mean_to: r.mean_b,
      moved: r.ci[0] > 0 ? 1 : r.ci[1] < 0 ? -1 : 0,
    };
  }
  return deltas;
}

/**
 * Each metric's change from `a` to `b` (`metrics`, or every metric either has); null
 * when either lacks it.
 */
export function metricDeltas(
  a: DeltaRelease,
  b: DeltaRelease,
  metrics?: readonly string[],
): Record<string, MetricDelta | null> {
  const names = metrics ?? [...new Set([...Object.keys(a.metrics), ...Object.keys(b.metrics)])];
  const prod: Record<string, MetricDelta | null> = {};
  for (const m of names) {
    const from = a.metrics[m];
    const to = b.metrics[m];
    prod[m] = from === undefined || to === undefined
      ? null
      : { from, to, delta: to - from, relative: from === 0 ? null : (to - from) / from };
  }
  return prod;
}
