/**
 * The engine every model call goes through: {@link runRequests} runs one
 * request per item with resume (journal), cache, budget, batch and progress,
 * over one client (retries, AIMD limiter, rpm/tpm caps, failure reasons).
 * `generate`, `judge`, the regression gate and re-judging use it.
 *
 * @module
 */
export {
  type Ask,
  type EngineItem,
  type EngineOptions,
  type EngineRequest,
  type EngineResult,
  type EngineStats,
  type RequestFields,
  runRequests,
  type SettledItem,
} from "./engine.ts";
export {
  type Capabilities,
  type ChatClient,
  type ChatClientOptions,
  type ChatReply,
  type ChatRequest,
  type ClientStats,
  createChatClient,
  type EndpointSource,
  OPENAI_BASE_URL,
  redactSecret,
  type ResolvedEndpoint,
  resolveEndpoint,
  safeEndpoint,
  type StructuredMode,
} from "./client.ts";
export {
  describeFailure,
  EndpointError,
  endpointHost,
  type FailureReason,
  type FailureSummary,
} from "./failure.ts";
export {
  backoffDelay,
  classifyFailure,
  type FailureInfo,
  type FailureKind,
  failureReason,
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
export { cacheKey, fileCache, noCache, type ResultCache } from "./cache.ts";
export { type Journal, type JournalOptions, openJournal } from "./journal.ts";
export { batchJsonl, type BatchOptions, type BatchOutcome, runBatch } from "./batch.ts";
export { formatProgress, type PoolOptions, type PoolResult, runPool } from "./pool.ts";
