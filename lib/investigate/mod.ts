/**
 * Investigate a failing dimension (`notebooks/06_investigate_dimension.ipynb`):
 * the lowest-scored items with the judge's rationale, the breakdown by
 * stratum, judge–human disagreements on it, the release where it moved, the
 * items that moved most, and both releases' responses side by side.
 *
 * @module
 */
export {
  type DimensionDisagreement,
  type HistoryPoint,
  investigateDimension,
  type InvestigateOptions,
  type Investigation,
  type LowItem,
  type LowScores,
  lowScores,
  type Mover,
  resolveRun,
  type Step,
  type StratumRow,
} from "./investigate.ts";
export {
  historyChart,
  SCORE_COLORS,
  scoreColors,
  strataChart,
  type StrataChartOptions,
} from "./charts.ts";
export { sideBySideHtml, type SideBySideOptions } from "./html.ts";
