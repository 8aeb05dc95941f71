/**
 * The regression gate: held-out real failures that no version may regress on.
 *
 * - {@link runGate}: get (generate or read) a version's response to every case,
 *   judge it against the case's expected behaviour, apply the case checks,
 *   count regressions against a baseline gate, and write a gate artifact.
 * - {@link checkCase}: the checks of one case (pure).
 * - {@link addCase}: append an anonymised, dated case made from a run's item.
 *
 * @module
 */
export {
  type CaseCheck,
  type CaseEvidence,
  type CaseFailure,
  checkCase,
  describeFailure,
  normalizePhrase,
  normalizeQuery,
} from "./checks.ts";
export {
  caseToJudgeItem,
  type GateCaseResult,
  type GateOptions,
  type GateReport,
  type GateResult,
  gateVerdict,
  readCases,
  readGate,
  runGate,
} from "./gate.ts";
export { addCase, type AddCaseOptions, type AddCaseResult, nextCaseId } from "./add.ts";
