/**
 * Honest release comparison: two judgment runs, paired by item, compared
 * dimension by dimension with intervals, p-values, power and prod weighting.
 *
 * - {@link compareRuns}: read two runs, hold them to the release discipline,
 *   compare, write a comparison artifact (what `evalkit compare` does).
 * - {@link comparePaired}: the statistics on paired scores (pure).
 * - {@link pairedDifferenceChart}: the dot-and-interval chart per dimension.
 * - {@link weightedPairedDifference}: the paired statistics for items with inclusion
 *   weights (`sample --oversample`), which {@link comparePaired} uses when they differ.
 *
 * @module
 */
export { type PairedScores, pairJudgments } from "./pair.ts";
export {
  comparePaired,
  type ComparePairedOptions,
  type DimensionComparison,
  type HedgeRates,
  minimumDetectableDifference,
  type MixUse,
  type PairedComparison,
  type PairedStat,
  postStratify,
  type RateComparison,
  type Verdict,
  verdictOf,
  type WeightedStat,
  type WeightUse,
} from "./compare.ts";
export {
  kishEffectiveN,
  weightedMean,
  weightedPairedDifference,
  type WeightedPairedOptions,
  weightedSd,
} from "./weighted.ts";
export {
  checkComparable,
  compareRuns,
  type CompareRunsOptions,
  type CompareRunsResult,
  type Comparison,
  type RunFacts,
  type RunInfo,
} from "./run.ts";
export { HEDGE_PATTERNS, hedges } from "./hedge.ts";
export {
  type DifferenceRow,
  pairedDifferenceChart,
  pairedDifferenceRows,
  VERDICT_COLORS,
} from "./charts.ts";
