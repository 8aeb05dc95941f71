/**
 * Human review: choose judged items for people to rate (stratified by stratum
 * and by judge score), write blind per-rater sheets, read filled sheets back
 * (CSV, the review page's JSONL, or an imported `ratings-<id>/` artifact) with
 * `file:line` errors, and refuse the held-out regression set.
 *
 * - {@link selectForReview}: which items (pure).
 * - {@link exportReview}: the `review-<id>/` artifact of blind sheets (`review export`).
 * - {@link readRatings}: read and validate rating files.
 * - {@link importRatings}: validate filled sheets into a `ratings-<id>/` artifact (`review import`).
 *
 * @module
 */
export {
  compareIds,
  type LocatedRating,
  raterFromFileName,
  RATING_COLUMNS,
  type RatingsRead,
  readRatings,
  type ReadRatingsOptions,
} from "./ratings.ts";
export {
  drawKey,
  raterOrder,
  type ReviewCandidate,
  type ReviewSelection,
  SCORE_BANDS,
  type ScoreBand,
  scoreBand,
  type SelectedItem,
  selectForReview,
  type SelectForReviewOptions,
} from "./select.ts";
export {
  exportReview,
  type ExportReviewOptions,
  RATER_NAME,
  renderConversation,
  type ReviewExport,
  reviewInstructions,
  reviewSheet,
  SHEET_COLUMNS,
} from "./export.ts";
export { importRatings, type ImportRatingsOptions, type RatingsImport } from "./import.ts";
export {
  isRegressionCaseFile,
  locateInput,
  openJudgeRun,
  readRunItems,
  refuseHeldOut,
  type RunItem,
  type RunWithItems,
} from "./source.ts";
