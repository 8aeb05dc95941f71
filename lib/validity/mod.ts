/**
 * Item-level validity: does each dimension's score of a prod answer predict the
 * feedback its user gave that answer? See {@link validityOf} and {@link itemValidity}.
 *
 * @module
 */
export {
  type AucEstimate,
  aucEstimate,
  type DimensionValidity,
  downRateByScore,
  type FeedbackRow,
  type ItemValidity,
  itemValidity,
  type ItemValidityOptions,
  MIN_PER_GROUP,
  type RateAtScore,
  TARGET_HALF_WIDTH,
} from "./compute.ts";
export {
  type Adjusted,
  adjustedAssociation,
  type AdjustedCoefficient,
  VIF_LIMIT,
} from "./adjusted.ts";
export { runDimensions } from "./dimensions.ts";
export {
  joinFeedback,
  readFeedback,
  type Validity,
  validityOf,
  type ValidityOptions,
  type ValidityResult,
} from "./run.ts";
export { formatAuc, validityLine } from "./format.ts";
export {
  EVAL_PROD_VERDICTS,
  type EvalProdEvidence,
  type EvalProdJudgement,
  type EvalProdRow,
  evalProdRows,
  type EvalProdVerdict,
  evalProdVerdict,
  type ItemCells,
  type ItemEvidence,
  NO_EFFECT_HIGH,
  NO_EFFECT_LOW,
  type ReleaseCells,
  type ReleaseEvidence,
  verdictColour,
} from "./verdict.ts";
export { aucForestChart, type AucForestRow, aucForestRows, downRateChart } from "./charts.ts";
export { ValidityFile, ValidityMeta } from "./schema.ts";
