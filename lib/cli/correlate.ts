import { usageError } from "../_errors.ts";
import { correlateReleases, type CorrelationResult } from "../correlate/correlate.ts";
import { correlationTrend, readCorrelationHistory } from "../correlate/history.ts";
import type { MetricDirection } from "../correlate/registry.ts";
import type { Reporter } from "../reporter.ts";
import { type Command, strings } from "./_command.ts";

function fmt(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined) return "n/a";
  return (v < 0 ? "−" : "") + Math.abs(v).toFixed(digits);
}

function intFlag(raw: unknown, name: string, min: number): number | undefined {
  if (raw === undefined) return undefined;
  const s = String(raw).trim();
  if (!/^-?\d+$/.test(s) || Number(s) < min || !Number.isSafeInteger(Number(s))) {
    throw usageError(`Invalid --${name} "${raw}": expected an integer >= ${min}`);
  }
  return Number(s);
}

function seedFlag(raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  const s = String(raw).trim();
  if (!/^-?\d+$/.test(s) || !Number.isSafeInteger(Number(s))) {
    throw usageError(`Invalid --seed "${raw}": expected an integer`);
  }
  return Number(s);
}

function noiseFlags(pairs: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const pair of pairs) {
    const m = /^([^=\s]+)=(.+)$/.exec(pair);
    const v = m ? Number(m[2]) : NaN;
    if (!m || !Number.isFinite(v) || v < 0 || m[2].trim() === "") {
      throw usageError(`Invalid --metric-noise "${pair}": expected COLUMN=NUMBER (a number >= 0)`);
    }
    out[m[1]] = v;
  }
  return out;
}

function report(result: CorrelationResult, reporter: Reporter): void {
  reporter.info(
    `quarter   ${result.quarter} (releases up to ${result.as_of}${
      result.since ? `, from ${result.since}` : ""
    }): ${result.releases.length} releases, ${result.pairs.length} release pairs` +
      (result.skipped.length ? `, ${result.skipped.length} left out` : ""),
  );
  for (const [metric, rows] of Object.entries(result.ranking)) {
    const m = result.metrics[metric];
    reporter.info(
      `\n${metric} (${m.direction} is better; noise ${
        Number(m.noise.toPrecision(3))
      }, ${m.noise_source})`,
    );
    reporter.info(
      `  ${"dimension".padEnd(12)} ${"pearson".padStart(7)} ${"95% CI".padEnd(15)} ${
        "spearman".padStart(8)
      } ${"p".padStart(6)} ${"agree".padStart(5)}  verdict`,
    );
    for (const r of rows) {
      const c = result.dimensions[r.dimension][metric];
      reporter.info(
        `  ${r.dimension.padEnd(12)} ${fmt(c.pearson).padStart(7)} ${
          (c.pearson_ci ? `[${fmt(c.pearson_ci[0])}, ${fmt(c.pearson_ci[1])}]` : "").padEnd(15)
        } ${fmt(c.spearman).padStart(8)} ${fmt(c.p_value, 3).padStart(6)} ${
          (c.directional_agreement === null ? "n/a" : `${c.agree}/${c.counted}`).padStart(5)
        }  ${r.verdict_label}${c.reason ? ` (${c.reason})` : ""}`,
      );
    }
    if (result.predicts_prod[metric].length) {
      reporter.info(`  predicts prod: ${result.predicts_prod[metric].join(", ")}`);
    }
    if (result.moves_against_prod[metric].length) {
      reporter.info(`  moves against prod: ${result.moves_against_prod[metric].join(", ")}`);
    }
    if (result.not_enough_evidence[metric].length) {
      reporter.info(
        `  not enough evidence at the release level: ${
          result.not_enough_evidence[metric].join(", ")
        } (an item-level check, \`evalkit validity\`, can say more)`,
      );
    }
  }
  reporter.info(
    `\nthe eval lied (${result.eval_lied.length} times)${result.eval_lied.length ? ":" : ""}`,
  );
  for (const l of result.eval_lied) reporter.info(`  ${l.text}`);
  for (const s of result.skipped) reporter.info(`left out  ${s.from}→${s.to}: ${s.reason}`);
}

/** `evalkit correlate`: eval-vs-prod correlation across releases, and its history. */
export const correlate: Command = {
  name: "correlate",
  summary: "Quarterly eval-vs-prod correlation across releases",
  usage:
    "correlate --releases F [--quarter YYYY-QN] [--since D] [--higher-is-better COL] [--lower-is-better COL] [--metric-noise COL=X] [--seed S] [--history DIR] --out DIR",
  writes: true,
  flags: {
    releases: {
      type: "string",
      value: "F",
      description:
        "The release registry (CSV): release,date,eval_run,thumbs_down_rate,tickets_per_1k[,more metrics]; eval_run may list several runs separated by ';'",
    },
    quarter: {
      type: "string",
      value: "YYYY-QN",
      description: "The quarter: releases dated up to its end (default: the latest release's)",
    },
    since: {
      type: "string",
      value: "D",
      description: "Leave out releases dated before this day (default: none)",
    },
    "higher-is-better": {
      type: "string",
      multiple: true,
      value: "COL",
      description: "A further metric column where higher is better",
    },
    "lower-is-better": {
      type: "string",
      multiple: true,
      value: "COL",
      description:
        "A further metric column where lower is better (thumbs_down_rate and tickets_per_1k are)",
    },
    "metric-noise": {
      type: "string",
      multiple: true,
      value: "COL=X",
      description:
        "A metric's noise: |change| above X is movement (default: half the median absolute change)",
    },
    seed: {
      type: "string",
      value: "S",
      description: "Seed of the bootstraps and permutations",
      default: "0",
    },
    resamples: {
      type: "string",
      value: "N",
      description: "Bootstrap resamples",
      default: "9999",
    },
    "min-pairs": {
      type: "string",
      value: "N",
      description: "Fewer release pairs than this: not estimable",
      default: "5",
    },
    history: {
      type: "string",
      value: "DIR",
      description:
        "Show every quarter's correlation in DIR (a runs folder) and flag a dimension whose correlation weakened",
    },
  },
  async run(ctx) {
    const releases = ctx.values.releases as string | undefined;
    const historyDir = ctx.values.history as string | undefined;
    if (!releases && !historyDir) {
      throw usageError(
        `Missing required flag --releases (or --history DIR)\nusage: evalkit ${correlate.usage}`,
      );
    }
    const directions: Record<string, MetricDirection> = {};
    for (const c of strings(ctx, "higher-is-better")) directions[c] = "higher";
    for (const c of strings(ctx, "lower-is-better")) {
      if (directions[c] === "higher") {
        throw usageError(`Metric "${c}" is given as both higher and lower is better`);
      }
      directions[c] = "lower";
    }
    const summary: Record<string, unknown> = {};
    if (releases) {
      const { result, summary: s } = await correlateReleases(releases, {
        out: ctx.values.out as string,
        quarter: ctx.values.quarter as string | undefined,
        since: ctx.values.since as string | undefined,
        directions,
        metricNoise: noiseFlags(strings(ctx, "metric-noise")),
        seed: seedFlag(ctx.values.seed),
        resamples: intFlag(ctx.values.resamples, "resamples", 1),
        minPairs: intFlag(ctx.values["min-pairs"], "min-pairs", 3),
        reporter: ctx.reporter,
      });
      report(result, ctx.reporter);
      for (const w of result.warnings) ctx.reporter.warn(w);
      Object.assign(summary, s);
    }
    if (historyDir) {
      const entries = await readCorrelationHistory(historyDir);
      const trend = correlationTrend(entries);
      ctx.reporter.info(
        `\nhistory   ${entries.length} quarter${entries.length === 1 ? "" : "s"} in ${historyDir}` +
          (entries.length
            ? `: ${entries.map((e) => `${e.quarter} (${e.pairs} pairs)`).join(", ")}`
            : ""),
      );
      for (const row of trend.rows) {
        const points = row.points.map((p) => `${p.quarter} ${fmt(p.pearson)}`).join(" → ");
        const tag = row.weakened ? "  WEAKENED" : row.tightened ? "  tightened" : "";
        ctx.reporter.info(`  ${row.dimension.padEnd(12)} ${row.metric.padEnd(18)} ${points}${tag}`);
      }
      for (const f of trend.flags) ctx.reporter.warn(f);
      summary.history = {
        dir: historyDir,
        quarters: entries.map((e) => ({
          quarter: e.quarter,
          artifact: e.artifact,
          pairs: e.pairs,
          superseded: e.superseded,
        })),
        trend: trend.rows.map((r) => ({
          dimension: r.dimension,
          metric: r.metric,
          pearson: Object.fromEntries(r.points.map((p) => [p.quarter, p.pearson])),
          pearson_ci: Object.fromEntries(r.points.map((p) => [p.quarter, p.pearson_ci])),
          change: r.change,
          tightened: r.tightened,
          weakened: r.weakened,
        })),
        flags: trend.flags,
      };
      if (!releases) summary.artifact = null;
    }
    summary.warnings = [...ctx.reporter.warnings];
    return { summary };
  },
};
