/**
 * The judge: one call per item scores correctness, relevance, clarity,
 * calibration and length (1–5 each) as JSON read against the scale, through
 * the engine (lib/llm: retries, adaptive concurrency, a cache, a resumable
 * journal, a budget, the Batch API), with the self-judging guard and an
 * injection-resistant prompt; plus the offline heuristic judge. The engine's
 * exports are re-exported here.
 *
 * - {@link judgeItems}: judge items' responses (library core; no artifact).
 * - {@link runJudge}: a judge run as an artifact (what `evalkit judge` does).
 * - {@link readJudgeRun}: read a run back with the warnings a report must show.
 *
 * @module
 */
export {
  injectionFlags,
  JUDGE_RESPONSE_FORMAT,
  judgeItems,
  type JudgeOptions,
  JudgeOutput,
  judgeResponseFormat,
  type JudgeResult,
  type JudgeStats,
  judgmentCacheKey,
  type ResponseToJudge,
} from "./judge.ts";
export {
  DEFAULT_SCALE,
  type ParsedReply,
  parseJudgeReply,
  readScore,
  type ReplyProblem,
  type ScoreScale,
} from "./reply.ts";
export {
  type JudgeRun,
  type JudgeRunOptions,
  type JudgeRunResult,
  readJudgeRun,
  readResponsesFor,
  resolveInputFile,
  runJudge,
  toJudgeItem,
} from "./run.ts";
export {
  buildJudgeMessages,
  buildReask,
  DEFAULT_PROMPT_URL,
  delimiterTag,
  escapeData,
  fillTemplate,
  itemContentHash,
  itemMessages,
  type JudgeItem,
  type JudgePrompt,
  loadPrompt,
  parsePrompt,
} from "./prompt.ts";
export {
  checkHeuristicSet,
  contentWords,
  DEFAULT_LENGTH_BAND,
  HEURISTIC_DIMENSIONS,
  HEURISTIC_JUDGE,
  HEURISTIC_VERSION,
  type HeuristicFeatures,
  heuristicJudge,
  type HeuristicOptions,
  type HeuristicResult,
  heuristicSha,
  LengthBands,
  lengthScore,
  readLengthBands,
  wordCount,
} from "./heuristic.ts";
export {
  checkSelfJudging,
  FAMILY_RULES,
  type FamilyRule,
  modelFamily,
  type SelfJudgeCheck,
  type SelfJudgeOptions,
} from "./family.ts";
export {
  detectInjection,
  INJECTION_FLAG,
  INJECTION_RULES,
  type InjectionFinding,
  type InjectionRule,
} from "./injection.ts";
export * from "../llm/mod.ts";
export {
  type JudgmentSummary,
  lowestItems,
  type ScoreCount,
  scoreDistribution,
  scoreDistributionChart,
  summarizeJudgments,
} from "./summary.ts";
