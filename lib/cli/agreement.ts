/**
 * `evalkit agreement`: judge–human agreement per dimension (one run), a
 * side-by-side prompt comparison (two runs), the agreement history and its
 * drift flags (`--history`), and the re-judge check (`--rejudge`).
 *
 * Exit codes: 1 when a dimension needs recalibration (for two runs: the new
 * one's), when the latest month of the history is flagged, or when re-judging
 * finds drift; 2 for bad usage or input, including the held-out regression set.
 *
 * @module
 */
import { parseDimensionList } from "../dimensions.ts";
import { usageError } from "../_errors.ts";
import { AGREEMENT_METRICS, type AgreementMetric } from "../agreement/compute.ts";
import { agreementDrift, readAgreementHistory } from "../agreement/history.ts";
import { rejudgeRun } from "../agreement/rejudge.ts";
import {
  agreementFor,
  type AgreementForOptions,
  agreementLines,
  comparePromptsFor,
} from "../agreement/run.ts";
import { historySummary, printComparison, printHistory, printRejudge } from "./_agreement.ts";
import { type Command, type CommandContext, type CommandResult, strings } from "./_command.ts";
import { clientOptionsFrom, numberFlag, pricesFrom, RUN_FLAGS } from "./_run_flags.ts";
import { artifactLine, exactlyOne } from "./_steps.ts";

const ENDPOINT_FLAGS = Object.fromEntries(
  ["base-url", "concurrency", "rpm", "tpm", "max-attempts", "timeout", "prices", "budget-usd"]
    .map((
      name,
    ) => [name, { ...RUN_FLAGS[name], description: `--rejudge: ${RUN_FLAGS[name].description}` }]),
);

function metricOf(ctx: CommandContext): AgreementMetric {
  const m = ctx.values.metric as string;
  if (!(AGREEMENT_METRICS as readonly string[]).includes(m)) {
    throw usageError(`Invalid --metric "${m}": expected ${AGREEMENT_METRICS.join(", ")}`);
  }
  return m as AgreementMetric;
}

function statsOptions(ctx: CommandContext) {
  const resamples = numberFlag(ctx, "resamples", { integer: true, positive: true }) ?? 2000;
  if (resamples < 100) {
    throw usageError(`Invalid --resamples "${resamples}": expected at least 100`);
  }
  const seed = numberFlag(ctx, "seed", { integer: true }) ?? 0;
  return { resamples, seed };
}

/** `--dimensions a,b`, when given: the dimensions to use of every mode's sources. */
function dimensionsFlag(ctx: CommandContext): { dimensions?: string[] } {
  return typeof ctx.values.dimensions === "string"
    ? { dimensions: parseDimensionList(ctx.values.dimensions) }
    : {};
}

function threshold(ctx: CommandContext): number {
  const t = numberFlag(ctx, "threshold") ?? 0.8;
  if (t < -1 || t > 1) {
    throw usageError(`Invalid --threshold "${t}": expected a number from -1 to 1`);
  }
  return t;
}

/** `evalkit agreement`. */
export const agreement: Command = {
  name: "agreement",
  summary: "Judge–human and human–human agreement per dimension",
  usage: "agreement --run DIR [--run NEW] --ratings F... [--metric adjacent|exact|qwk|spearman] " +
    "[--threshold 0.8] | --history DIR | --rejudge RUN",
  writes: true,
  flags: {
    dimensions: {
      type: "string",
      value: "a,b",
      description:
        "Only these dimensions (when the two sides' dimension sets differ: the shared ones to use)",
    },
    run: {
      type: "string",
      multiple: true,
      value: "DIR",
      description:
        "A judge run; twice (OLD then NEW) to compare prompt versions on the same ratings",
    },
    ratings: {
      type: "string",
      multiple: true,
      variadic: true,
      value: "F",
      description:
        "Rating files (CSV or review-page JSONL) or ratings-<id> folders from review import",
    },
    metric: {
      type: "string",
      value: "M",
      description:
        "The primary metric the verdict reads: adjacent (within 1), exact, qwk or spearman",
      default: "adjacent",
    },
    threshold: {
      type: "string",
      value: "T",
      description: "Recalibrate a dimension whose primary metric is below T",
      default: "0.8",
    },
    resamples: {
      type: "string",
      value: "N",
      description: "Bootstrap resamples per interval",
      default: "2000",
    },
    seed: { type: "string", value: "N", description: "Bootstrap seed", default: "0" },
    date: {
      type: "string",
      value: "D",
      description:
        "The day the ratings were made, YYYY-MM-DD (orders the history; default: from imported ratings)",
    },
    history: {
      type: "string",
      value: "DIR",
      description:
        "Show agreement over time from the agreement artifacts under DIR, and flag drift",
    },
    "max-drop": {
      type: "string",
      value: "X",
      description: "--history: flag a month-over-month fall larger than X",
      default: "0.05",
    },
    rejudge: {
      type: "string",
      value: "RUN",
      description:
        "Re-judge RUN's items with the same judge and prompt; report score drift per dimension",
    },
    "max-shift": {
      type: "string",
      value: "X",
      description: "--rejudge: flag a mean shift larger than X (when its interval excludes 0)",
      default: "0.1",
    },
    "max-changed": {
      type: "string",
      value: "X",
      description: "--rejudge: flag a share of changed scores larger than X",
      default: "0.2",
    },
    ...ENDPOINT_FLAGS,
  },
  async run(ctx) {
    const mode = agreementMode(ctx);
    if (mode.kind === "history") return await historyCommand(ctx, mode.dir);
    const stats = statsOptions(ctx);
    if (mode.kind === "rejudge") return await rejudgeCommand(ctx, mode.run, stats);
    return await runsCommand(ctx, mode.runs, mode.ratings, stats);
  },
};

/** Which of the three modes the flags ask for: exactly one. */
type Mode =
  | { kind: "history"; dir: string }
  | { kind: "rejudge"; run: string }
  | { kind: "runs"; runs: string[]; ratings: string[] };

/** The mode the flags ask for, or a usage error when they ask for none or several. */
function agreementMode(ctx: CommandContext): Mode {
  const runs = strings(ctx, "run");
  const history = ctx.values.history as string | undefined;
  const rejudge = ctx.values.rejudge as string | undefined;
  exactlyOne(
    [runs.length > 0, history !== undefined, rejudge !== undefined],
    "Pass one of --run DIR (with --ratings), --history DIR or --rejudge RUN",
    agreement,
  );
  if (history !== undefined) return { kind: "history", dir: history };
  if (rejudge !== undefined) return { kind: "rejudge", run: rejudge };
  return { kind: "runs", runs, ratings: strings(ctx, "ratings") };
}

/** `--history DIR`: the agreement history's drift; exit 1 when the latest month is flagged. */
async function historyCommand(ctx: CommandContext, dir: string): Promise<CommandResult> {
  const { entries, rejudges } = await readAgreementHistory(dir);
  if (entries.length === 0) {
    throw usageError(`No agreement artifacts in "${dir}": run evalkit agreement first`);
  }
  const drift = agreementDrift(entries, {
    metric: metricOf(ctx),
    threshold: threshold(ctx),
    maxDrop: numberFlag(ctx, "max-drop", { min: 0 }) ?? 0.05,
    ...dimensionsFlag(ctx),
  });
  printHistory(ctx.reporter, drift, entries.length, rejudges);
  return { summary: historySummary(drift, rejudges), exitCode: drift.latest_flagged ? 1 : 0 };
}

/** `--rejudge RUN`: judge the run's items again; exit 1 when a dimension drifted. */
async function rejudgeCommand(
  ctx: CommandContext,
  run: string,
  stats: { resamples: number; seed: number },
): Promise<CommandResult> {
  const result = await rejudgeRun(run, {
    clientOptions: clientOptionsFrom(ctx),
    prices: await pricesFrom(ctx),
    budgetUsd: numberFlag(ctx, "budget-usd", { min: 0 }),
    ...stats,
    maxShift: numberFlag(ctx, "max-shift", { min: 0 }) ?? 0.1,
    maxChanged: numberFlag(ctx, "max-changed", { min: 0 }) ?? 0.2,
    ...dimensionsFlag(ctx),
    out: ctx.values.out as string,
    reporter: ctx.reporter,
  });
  printRejudge(ctx.reporter, run, result);
  return { summary: result.summary, exitCode: result.drift.verdict === "drifted" ? 1 : 0 };
}

/** The options of one run's agreement or of a two-run comparison. */
function agreementOptions(
  ctx: CommandContext,
  stats: { resamples: number; seed: number },
): AgreementForOptions {
  return {
    ...dimensionsFlag(ctx),
    metric: metricOf(ctx),
    threshold: threshold(ctx),
    ...stats,
    date: ctx.values.date as string | undefined,
    out: ctx.values.out as string,
    reporter: ctx.reporter,
  };
}

/**
 * `--run DIR --ratings F...` (agreement) or `--run OLD --run NEW --ratings F...`
 * (comparison); exit 1 when a dimension (of the new run) needs recalibration.
 */
async function runsCommand(
  ctx: CommandContext,
  runs: readonly string[],
  ratings: readonly string[],
  stats: { resamples: number; seed: number },
): Promise<CommandResult> {
  if (runs.length > 2) throw usageError("--run takes one judge run, or two (OLD then NEW)");
  if (ratings.length === 0) {
    throw usageError(`Missing required flag --ratings\nusage: evalkit ${agreement.usage}`);
  }
  const options = agreementOptions(ctx, stats);
  const r = ctx.reporter;
  if (runs.length === 2) {
    const result = await comparePromptsFor(runs[0], runs[1], ratings, options);
    printComparison(r, [runs[0], runs[1]], result);
    return { summary: result.summary, exitCode: result.comparison.new.verdict === "ok" ? 0 : 1 };
  }
  const result = await agreementFor(runs[0], ratings, options);
  for (const line of agreementLines(result.report)) r.info(line);
  r.info(artifactLine(result.artifact, !result.created));
  return { summary: result.summary, exitCode: result.report.verdict === "ok" ? 0 : 1 };
}
