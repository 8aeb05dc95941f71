/**
 * Judge–human agreement: per-dimension agreement with bootstrap intervals and
 * verdicts, the human–human ceiling, the agreement history and its drift flags,
 * the side-by-side comparison of two prompt versions, the re-judge check for a
 * silently changed judge model, and their charts.
 *
 * - {@link computeAgreement} (pure) and {@link agreementFor} (artifact): `agreement --run DIR --ratings F...`.
 * - {@link comparePrompts} and {@link comparePromptsFor}: `agreement --run OLD --run NEW --ratings F...`.
 * - {@link agreementDrift} and {@link readAgreementHistory}: `agreement --history DIR`.
 * - {@link judgeDrift} and {@link rejudgeRun}: `agreement --rejudge RUN`.
 *
 * @module
 */
export {
  AGREEMENT_METRICS,
  agreementIndicators,
  type AgreementMetric,
  type AgreementOptions,
  type AgreementReport,
  agreementValue,
  type AgreementVerdict,
  computeAgreement,
  type DimensionAgreement,
  type Disagreement,
  type Estimate,
  type HumanAgreement,
  type MetricSet,
  roundHalfEven,
  SCORE_LABELS,
  spearmanOfScores,
} from "./compute.ts";
export {
  comparePrompts,
  type MetricDifference,
  type PromptComparison,
  type PromptDimensionComparison,
} from "./compare.ts";
export {
  type AgreementDrift,
  agreementDrift,
  type AgreementDriftOptions,
  type DriftFlag,
  type DriftPoint,
  type HistoryEntry,
  readAgreementHistory,
  type RejudgeEntry,
} from "./history.ts";
export {
  type DimensionDrift,
  type JudgeDrift,
  judgeDrift,
  type JudgeDriftOptions,
  type RejudgeOptions,
  type RejudgeResult,
  rejudgeRun,
} from "./rejudge.ts";
export {
  agreementFor,
  type AgreementForOptions,
  agreementLines,
  type AgreementResult,
  comparePromptsFor,
  disagreementLine,
  type PromptComparisonResult,
  rationaleFor,
  summarizeDimensions,
} from "./run.ts";
export { agreementChart, confusionChart, driftChart } from "./charts.ts";
