/**
 * The quarterly eval–prod correlation: the number that says whether the eval is lying.
 *
 * - {@link readReleaseRegistry}: the release registry (SPEC §4) and the judge runs it names.
 * - {@link releaseDeltas}: per-dimension paired eval deltas with CIs, and prod deltas,
 *   for consecutive releases judged alike (re-baselined runs when the eval set changed).
 * - {@link correlateDeltas}: Pearson and Spearman with bootstrap CIs, permutation
 *   p-values and directional agreement; "not estimable" under 5 release pairs.
 * - {@link evalLied}: pairs where a dimension and a prod metric moved beyond their noise
 *   in opposite ways.
 * - {@link rankDimensions}: which dimensions predict prod at the release level, and which
 *   lack the evidence to say.
 * - {@link correlateReleases}: all of it for one quarter, as a `correlation-<id>/` artifact.
 * - {@link readCorrelationHistory}, {@link correlationTrend}: quarter over quarter.
 * - {@link judgeDemoReleases}: the demo's registry of judged releases.
 *
 * @example The demo's releases, judged by the true scores, recover the generator's truth
 * ```ts
 * import { correlateReleases, judgeDemoReleases } from "./mod.ts";
 * const out = await Deno.makeTempDir();
 * const { registry } = await judgeDemoReleases({ out, judge: "truth" });
 * const { result } = await correlateReleases(registry, { out, resamples: 999 });
 * const top = result.ranking.thumbs_down_rate[0];
 * if (top.dimension !== "correctness" || !(top.pearson! < -0.8)) throw new Error(JSON.stringify(top));
 * await Deno.remove(out, { recursive: true });
 * ```
 *
 * @module
 */
export {
  DEFAULT_METRIC_DIRECTIONS,
  type MetricDirection,
  metricDirections,
  readReleaseRegistry,
  type RegistryRelease,
  type RegistryRun,
  type ReleaseRegistry,
  resolveRunPath,
  splitRuns,
} from "./registry.ts";
export {
  type DeltaOptions,
  type DeltaRelease,
  type DeltaRun,
  type DimensionDelta,
  type MetricDelta,
  releaseDeltas,
  type ReleasePair,
  type SkippedPair,
} from "./deltas.ts";
export {
  correlateDeltas,
  type CorrelateDeltasOptions,
  type CorrelationCell,
  correlationCell,
  pairBootstrapCI,
  type PairBootstrapOptions,
  type PermutationOptions,
  type PermutationResult,
  permutationTest,
} from "./correlation.ts";
export { type EvalLie, evalLied, metricDigits, type MetricNoise, metricNoise } from "./lied.ts";
export {
  type CorrelationVerdict,
  correlationVerdict,
  rankDimensions,
  type RankedDimension,
  type VerdictLists,
  verdictLists,
} from "./rank.ts";
export { parseQuarter, type Quarter, quarterOf, shiftQuarter } from "./quarter.ts";
export {
  analyzeReleases,
  type CorrelateOptions,
  correlateReleases,
  type CorrelateReleasesOptions,
  type CorrelateReleasesResult,
  type CorrelationResult,
  correlationSummary,
  pairsCsv,
} from "./correlate.ts";
export {
  type CorrelationTrend,
  correlationTrend,
  type HistoryEntry,
  readCorrelationHistory,
  type TrendOptions,
  type TrendPoint,
  type TrendRow,
} from "./history.ts";
export {
  DEMO_TRUTH_JUDGE,
  judgeDemoReleases,
  type JudgeDemoReleasesOptions,
  type JudgeDemoReleasesResult,
} from "./demo.ts";
export {
  correlationChart,
  type CorrelationChartOptions,
  type CorrelationTableRow,
  correlationTableRows,
  deltaScatterChart,
  type DeltaScatterOptions,
  type ScatterPoint,
  scatterPoints,
  trendChart,
  type TrendChartOptions,
} from "./charts.ts";
