/**
 * The judge: one call per item scores correctness, relevance, clarity,
 * calibration and length (1–5 each) as JSON validated by zod, against any
 * OpenAI-compatible endpoint, with retries, adaptive concurrency, a cache, a
 * resumable journal, a budget, the Batch API, the self-judging guard and an
 * injection-resistant prompt; plus the offline heuristic judge.
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
  type JudgeResult,
  type JudgeStats,
  judgmentCacheKey,
  parseJudgeReply,
  type ResponseToJudge,
} from "./judge.ts";
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
  contentWords,
  DEFAULT_LENGTH_BAND,
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
export {
  addUsage,
  costUsd,
  DEFAULT_PRICES,
  estimateTokens,
  loadPrices,
  ModelPrice,
  priceFor,
  type PriceMatch,
  PriceTable,
} from "./cost.ts";
export {
  type Capabilities,
  type ChatClient,
  type ChatClientOptions,
  type ChatReply,
  type ChatRequest,
  type ClientStats,
  createChatClient,
  OPENAI_BASE_URL,
  redactSecret,
  safeEndpoint,
  type StructuredMode,
} from "./client.ts";
export {
  backoffDelay,
  classifyFailure,
  type FailureInfo,
  type FailureKind,
  RequestFailedError,
  retryAfterMs,
  type RetryOptions,
  withRetry,
} from "./retry.ts";
export {
  type AimdLimiter,
  type AimdOptions,
  createAimdLimiter,
  createRateGate,
  type RateGate,
  type RateGateOptions,
} from "./limiter.ts";
export { cacheKey, fileCache, noCache, type ResultCache } from "./cache.ts";
export { type Journal, type JournalOptions, openJournal } from "./journal.ts";
export { batchJsonl, type BatchOptions, type BatchOutcome, runBatch } from "./batch.ts";
export { formatProgress, type PoolOptions, type PoolResult, runPool } from "./pool.ts";
export {
  type JudgmentSummary,
  lowestItems,
  type ScoreCount,
  scoreDistribution,
  scoreDistributionChart,
  summarizeJudgments,
} from "./summary.ts";
