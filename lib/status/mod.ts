/**
 * The rhythm of the practice (`evalkit status`): what a runs folder says is
 * due — a human sample per release, the monthly agreement check, the
 * quarterly correlation, the regression gate after new cases, and any
 * self-judging — and the inventory of a runs folder it reads.
 *
 * @module
 */
export {
  type DueItem,
  readStatus,
  type RunSample,
  STATUS_CHECKS,
  type StatusCheck,
  statusLines,
  type StatusOptions,
  type StatusReport,
} from "./status.ts";
export {
  type ArtifactEntry,
  baseName,
  byCreation,
  readRuns,
  releaseInfo,
  releaseNames,
  type RunRelease,
} from "../runs.ts";
