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
  disagreementLine,
} from "../agreement/run.ts";
import { DIMENSIONS } from "../schemas.ts";
import { type Command, type CommandContext, strings } from "./_command.ts";
import { clientOptionsFrom, numberFlag, pricesFrom, RUN_FLAGS, usd } from "./_run_flags.ts";

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
    const runs = strings(ctx, "run");
    const ratings = strings(ctx, "ratings");
    const history = ctx.values.history as string | undefined;
    const rejudge = ctx.values.rejudge as string | undefined;
    const modes =
      [runs.length > 0, history !== undefined, rejudge !== undefined].filter(Boolean).length;
    if (modes !== 1) {
      throw usageError(
        `Pass one of --run DIR (with --ratings), --history DIR or --rejudge RUN\nusage: evalkit ${agreement.usage}`,
      );
    }
    const r = ctx.reporter;

    if (history !== undefined) {
      const { entries, rejudges } = await readAgreementHistory(history);
      if (entries.length === 0) {
        throw usageError(`No agreement artifacts in "${history}": run evalkit agreement first`);
      }
      const drift = agreementDrift(entries, {
        metric: metricOf(ctx),
        threshold: threshold(ctx),
        maxDrop: numberFlag(ctx, "max-drop", { min: 0 }) ?? 0.05,
      });
      r.info(
        `history   ${entries.length} agreement runs over ${drift.months.length} months (${drift.metric}, threshold ${drift.threshold})`,
      );
      for (const d of DIMENSIONS) {
        r.info(
          `  ${d.padEnd(12)} ${
            drift.dimensions[d].map((p) =>
              `${p.month} ${p.value ?? "n/a"}${p.flags.length ? ` [${p.flags.join(", ")}]` : ""}`
            ).join("  ")
          }`,
        );
      }
      for (const f of drift.flags) r.warn(`${f.month} ${f.dimension}: ${f.detail}`);
      for (const j of rejudges) {
        r.info(
          `rejudge   ${j.date.slice(0, 10)} ${j.run}: ${j.drift.verdict}${
            j.drift.drifted.length ? ` (${j.drift.drifted.join(", ")})` : ""
          }`,
        );
      }
      return {
        summary: {
          mode: "history",
          metric: drift.metric,
          threshold: drift.threshold,
          max_drop: drift.max_drop,
          months: drift.months,
          entries: drift.entries,
          dimensions: drift.dimensions,
          flags: drift.flags,
          latest_flagged: drift.latest_flagged,
          rejudges: rejudges.map((j) => ({
            artifact: j.artifact,
            date: j.date,
            run: j.run,
            verdict: j.drift.verdict,
            drifted: j.drift.drifted,
          })),
        },
        exitCode: drift.latest_flagged ? 1 : 0,
      };
    }

    const { resamples, seed } = statsOptions(ctx);
    if (rejudge !== undefined) {
      const result = await rejudgeRun(rejudge, {
        clientOptions: clientOptionsFrom(ctx),
        prices: await pricesFrom(ctx),
        budgetUsd: numberFlag(ctx, "budget-usd", { min: 0 }),
        resamples,
        seed,
        maxShift: numberFlag(ctx, "max-shift", { min: 0 }) ?? 0.1,
        maxChanged: numberFlag(ctx, "max-changed", { min: 0 }) ?? 0.2,
        out: ctx.values.out as string,
        reporter: r,
      });
      const dr = result.drift;
      r.info(
        `rejudge   ${dr.items} items of ${rejudge} judged again: ${result.requests} requests, ${
          usd(result.cost_usd)
        }`,
      );
      for (const d of DIMENSIONS) {
        const x = dr.dimensions[d];
        r.info(
          `  ${d.padEnd(12)} ${
            x.drifted ? "DRIFTED" : "stable "
          }  mean ${x.mean_before} → ${x.mean_after} ` +
            `(shift ${x.mean_shift} [${x.ci[0]}, ${x.ci[1]}], p ${x.p_value}); ${
              (x.changed_share * 100).toFixed(1)
            }% of scores changed`,
        );
      }
      r.info(`artifact  ${result.artifact}`);
      return { summary: result.summary, exitCode: dr.verdict === "drifted" ? 1 : 0 };
    }

    if (runs.length > 2) throw usageError("--run takes one judge run, or two (OLD then NEW)");
    if (ratings.length === 0) {
      throw usageError(`Missing required flag --ratings\nusage: evalkit ${agreement.usage}`);
    }
    const options: AgreementForOptions = {
      ...(typeof ctx.values.dimensions === "string"
        ? { dimensions: parseDimensionList(ctx.values.dimensions) }
        : {}),
      metric: metricOf(ctx),
      threshold: threshold(ctx),
      resamples,
      seed,
      date: ctx.values.date as string | undefined,
      out: ctx.values.out as string,
      reporter: r,
    };
    if (runs.length === 2) {
      const result = await comparePromptsFor(runs[0], runs[1], ratings, options);
      const c = result.comparison;
      r.info(
        `compare   ${runs[0]} (old) vs ${
          runs[1]
        } (new) on ${c.items} rated items; ${c.metric}, threshold ${c.threshold}`,
      );
      for (const d of DIMENSIONS) {
        const x = c.dimensions[d];
        const diff = x.differences[c.metric];
        r.info(
          `  ${d.padEnd(12)} old ${c.old.dimensions[d].value ?? "n/a"} (${x.old_verdict}) → new ${
            c.new.dimensions[d].value ?? "n/a"
          } (${x.new_verdict}); diff ${diff.diff ?? "n/a"} [${diff.ci[0] ?? "-"}, ${
            diff.ci[1] ?? "-"
          }]` +
            `${diff.p_value !== null ? ` p ${diff.p_value}` : ""}: ${x.verdict}`,
        );
      }
      r.info(c.recommendation);
      for (const x of c.new.disagreements.slice(0, 10)) r.info(`  ${disagreementLine(x)}`);
      r.info(`artifact  ${result.artifact}${result.created ? "" : " (identical, kept)"}`);
      return { summary: result.summary, exitCode: c.new.verdict === "ok" ? 0 : 1 };
    }
    const result = await agreementFor(runs[0], ratings, options);
    for (const line of agreementLines(result.report)) r.info(line);
    r.info(`artifact  ${result.artifact}${result.created ? "" : " (identical, kept)"}`);
    return { summary: result.summary, exitCode: result.report.verdict === "ok" ? 0 : 1 };
  },
};
