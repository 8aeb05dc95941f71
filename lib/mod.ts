/**
 * evalkit: LLM evals that predict production.
 *
 * The public surface of the library: record schemas, readers and writers,
 * the artifacts module, and one module per step of the practice.
 *
 * @module
 */
export * from "./schemas.ts";
export {
  formatIssue,
  formatIssueShort,
  inputError,
  type InputIssue,
  inputIssues,
} from "./_errors.ts";
export {
  collectRecords,
  type Format,
  formatOf,
  iterateRecords,
  type Located,
  type ReadOptions,
  readRecords,
  type ReadResult,
} from "./io/read.ts";
export { jsonlToParquet, toCsv, toJsonl } from "./io/write.ts";
export { openDuckDB, readFunction, sqlString, withDuckDB } from "./io/duckdb.ts";
export { canonicalJson, sha256, sha256File } from "./_hash.ts";
export {
  artifactId,
  type ArtifactResult,
  type ArtifactSpec,
  type FileEntry,
  KIT_VERSION,
  type Manifest,
  planArtifact,
  readManifest,
  verifyArtifact,
  writeArtifact,
} from "./artifacts.ts";
export { createReporter, type Reporter, type ReporterOptions } from "./reporter.ts";
export {
  type FileReport,
  validateFiles,
  type ValidateOptions,
  type ValidateReport,
} from "./validate.ts";
export {
  DEMO_DIR,
  demoPaths,
  type DemoWorld,
  loadDemoWorld,
  PiiTruth,
  summarizeWorld,
  type WorldSummary,
} from "./demo_world.ts";
export { type DemoOptions, type DemoResult, runDemo } from "./demo.ts";
export {
  dailyVolumeChart,
  escapeHtml,
  htmlTable,
  type HtmlTableOptions,
  mixChart,
  type PlotOptions,
  renderSvg,
  shareChart,
} from "./plot.ts";
export * from "./stats/mod.ts";
export {
  expandGlobs,
  readMix,
  recordText,
  sampleLogs,
  type SampleOptions,
  type SampleResult,
  type SampleSummary,
  writeEvalset,
  type WriteEvalsetOptions,
} from "./sample/sample.ts";
export { type Dialect, DIALECTS, sampleSql, type SampleSqlParams } from "./sample/sql.ts";
export { largestRemainder, type MixComparison, mixComparison } from "./sample/mix.ts";
export {
  anonymizeItem,
  anonymizeText,
  detectPii,
  PII_TYPES,
  type PiiSpan,
  type PiiType,
} from "./sample/anonymize.ts";
export {
  buildJudgeMessages,
  checkSelfJudging,
  costUsd,
  createAimdLimiter,
  createChatClient,
  createRateGate,
  DEFAULT_PRICES,
  detectInjection,
  escapeData,
  HEURISTIC_JUDGE,
  heuristicJudge,
  type HeuristicOptions,
  heuristicSha,
  INJECTION_FLAG,
  type JudgeItem,
  judgeItems,
  type JudgeOptions,
  JudgeOutput,
  type JudgePrompt,
  type JudgeResult,
  type JudgeRun,
  type JudgeRunOptions,
  type JudgeRunResult,
  type JudgeStats,
  type JudgmentSummary,
  loadPrices,
  loadPrompt,
  lowestItems,
  modelFamily,
  openJournal,
  parseJudgeReply,
  priceFor,
  PriceTable,
  readJudgeRun,
  type ResponseToJudge,
  runJudge,
  type ScoreCount,
  scoreDistribution,
  scoreDistributionChart,
  summarizeJudgments,
  toJudgeItem,
} from "./judge/mod.ts";
export {
  type GenerateOptions,
  generateResponses,
  type GenerateResult,
  type GenerateRunOptions,
  type GenerateRunResult,
  GenerationFailure,
  runGenerate,
} from "./generate.ts";
export { pairJudgments, type PairedScores } from "./compare/pair.ts";
export {
  analyzeReleases,
  type CorrelateOptions,
  correlateReleases,
  correlateReleases as correlate,
  type CorrelateReleasesOptions,
  type CorrelateReleasesResult,
  correlationChart,
  type CorrelationResult,
  correlationSummary,
  correlationTableRows,
  correlationTrend,
  type CorrelationVerdict,
  DEFAULT_METRIC_DIRECTIONS,
  deltaScatterChart,
  DEMO_TRUTH_JUDGE,
  type EvalLie,
  evalLied,
  judgeDemoReleases,
  type MetricDirection,
  metricNoise,
  parseQuarter,
  permutationTest,
  quarterOf,
  rankDimensions,
  readCorrelationHistory,
  readReleaseRegistry,
  releaseDeltas,
  type ReleasePair,
  shiftQuarter,
  trendChart,
} from "./correlate/mod.ts";
