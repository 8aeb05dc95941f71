/**
 * The quarterly eval–prod correlation (SPEC principle 7, `evalkit correlate`): when eval
 * scores moved between releases, did production move with them?
 *
 * From a release registry ({@link readReleaseRegistry}) it takes the releases dated up
 * to the end of the quarter (and from `since`, when given), the deltas of consecutive
 * releases judged alike ({@link releaseDeltas}), correlates each dimension with each
 * prod metric ({@link correlateDeltas}), lists the pairs where the eval lied
 * ({@link evalLied}), ranks the dimensions per metric ({@link rankDimensions}) and writes
 * a `correlation-<id>/` artifact whose `correlation.json` records its quarter, so
 * `correlate --history` can follow the correlation quarter over quarter.
 *
 * @module
 */
import { usageError } from "../_errors.ts";
import { writeArtifact } from "../artifacts.ts";
import { toCsv } from "../io/write.ts";
import type { Reporter } from "../reporter.ts";
import { type Dimension, IsoDate } from "../schemas.ts";
import {
  analysisWarnings,
  correlateSettings,
  directionsFor,
  noiseFor,
  releaseWindow,
} from "./_analyze.ts";
import { correlateDeltas, type CorrelationCell } from "./correlation.ts";
import { releaseDeltas, type ReleasePair, type SkippedPair } from "./deltas.ts";
import { type EvalLie, evalLied } from "./lied.ts";
import { parseQuarter } from "./quarter.ts";
import { rankDimensions, type RankedDimension, verdictLists } from "./rank.ts";
import { type MetricDirection, readReleaseRegistry, type ReleaseRegistry } from "./registry.ts";

/** Options for {@link analyzeReleases} and {@link correlateReleases}. */
export interface CorrelateOptions {
  /** The quarter, `YYYY-QN`: releases dated up to its last day. @default the latest release's quarter */
  quarter?: string;
  /** Leave out releases dated before this day (`YYYY-MM-DD`). @default all */
  since?: string;
  /** Metric directions beyond (or overriding) the defaults: `{ csat: "higher" }`. @default {} */
  directions?: Readonly<Record<string, MetricDirection>>;
  /** Each metric's noise, `{ thumbs_down_rate: 0.004 }`. @default half the median absolute change */
  metricNoise?: Readonly<Record<string, number>>;
  /** The seed of every bootstrap and permutation. @default 0 */
  seed?: number;
  /** Bootstrap resamples (eval deltas and correlations). @default 9999 */
  resamples?: number;
  /** Confidence level. @default 0.95 */
  level?: number;
  /** Fewer release pairs than this: "not estimable". @default 5 */
  minPairs?: number;
  /** Exact permutation p-values (all n! orderings) up to this many pairs. @default 8 */
  exactMaxN?: number;
  /** Random permutations beyond `exactMaxN`. @default 10000 */
  permutations?: number;
}

/** What one quarterly correlation found: the content of `correlation.json`. */
export interface CorrelationResult {
  quarter: string;
  /** The last day of the quarter: releases after it are left out. */
  as_of: string;
  since: string | null;
  registry: string;
  releases: {
    release: string;
    date: string;
    runs: string[];
    metrics: Record<string, number>;
  }[];
  /** Releases in the registry left out of this quarter's analysis (dated after it, or before `since`). */
  releases_left_out: string[];
  metrics: Record<string, { direction: MetricDirection; noise: number; noise_source: string }>;
  pairs: ReleasePair[];
  skipped: SkippedPair[];
  dimensions: Record<Dimension, Record<string, CorrelationCell>>;
  ranking: Record<string, RankedDimension[]>;
  /** Per metric: the dimensions whose release-level interval lies above 0 (verdict `predicts prod`). */
  predicts_prod: Record<string, Dimension[]>;
  /** Per metric: the dimensions whose release-level interval lies below 0 (`moves against prod`). */
  moves_against_prod: Record<string, Dimension[]>;
  /** Per metric: the rest — their interval reaches 0, or too few pairs (`not enough evidence`). */
  not_enough_evidence: Record<string, Dimension[]>;
  eval_lied: EvalLie[];
  warnings: string[];
  settings: {
    seed: number;
    resamples: number;
    level: number;
    min_pairs: number;
    exact_max_n: number;
    permutations: number;
  };
}

function checkOptions(options: CorrelateOptions): void {
  if (options.since !== undefined && !IsoDate.safeParse(options.since).success) {
    throw usageError(`Invalid since "${options.since}": expected a date YYYY-MM-DD`);
  }
  const posInt = (name: string, v: number | undefined, min = 1) => {
    if (v !== undefined && (!Number.isInteger(v) || v < min)) {
      throw usageError(`Invalid ${name} ${v}: expected an integer >= ${min}`);
    }
  };
  posInt("resamples", options.resamples);
  posInt("permutations", options.permutations);
  posInt("min pairs", options.minPairs, 3);
  if (options.seed !== undefined && !Number.isSafeInteger(options.seed)) {
    throw usageError(`Invalid seed ${options.seed}: expected an integer`);
  }
  if (options.level !== undefined && !(options.level > 0 && options.level < 1)) {
    throw usageError(`Invalid level ${options.level}: expected a number between 0 and 1`);
  }
  if (
    options.exactMaxN !== undefined &&
    (!Number.isInteger(options.exactMaxN) || options.exactMaxN < 0 || options.exactMaxN > 10)
  ) {
    throw usageError(`Invalid exact max n ${options.exactMaxN}: expected an integer from 0 to 10`);
  }
}

/**
 * The quarterly correlation of a registry already read (no files written).
 *
 * @param registry A registry from {@link readReleaseRegistry}.
 * @param options Quarter, since, directions, noise, seed and the statistics' settings.
 * @returns The whole result (what `correlation.json` holds).
 * @throws {RangeError} A usage error for a bad option or a metric without a sign convention.
 *
 * @example
 * ```ts
 * import { analyzeReleases } from "./correlate.ts";
 * import { readReleaseRegistry } from "./registry.ts";
 * import { judgeDemoReleases } from "./demo.ts";
 * const out = await Deno.makeTempDir();
 * const { registry } = await judgeDemoReleases({ out, judge: "truth" });
 * const result = analyzeReleases(await readReleaseRegistry(registry), { resamples: 200, permutations: 200 });
 * if (result.quarter !== "2026-Q3") throw new Error(result.quarter);
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export function analyzeReleases(
  registry: ReleaseRegistry,
  options: CorrelateOptions = {},
): CorrelationResult {
  checkOptions(options);
  const settings = correlateSettings(options);
  const { seed, resamples, level } = settings;
  const window = releaseWindow(registry, options.quarter, options.since);
  const directions = directionsFor(registry, options.directions ?? {});
  const { pairs, skipped } = releaseDeltas(window.releases, {
    metrics: registry.metrics,
    resamples,
    level,
    seed,
  });
  const noise = noiseFor(pairs, registry.metrics, options.metricNoise ?? {});
  const dimensions = correlateDeltas(pairs, directions, {
    minPairs: settings.min_pairs,
    resamples,
    level,
    seed,
    exactMaxN: settings.exact_max_n,
    permutations: settings.permutations,
  });
  const ranking = rankDimensions(dimensions);
  return {
    quarter: window.quarter.label,
    as_of: window.quarter.end,
    since: window.since,
    registry: shortPath(registry.file),
    releases: window.releases.map((r) => ({
      release: r.release,
      date: r.date,
      runs: r.runs.map((x) => x.path),
      metrics: r.metrics,
    })),
    releases_left_out: window.leftOut,
    metrics: Object.fromEntries(
      registry.metrics.map((m) => [m, {
        direction: directions[m],
        noise: noise[m].value,
        noise_source: noise[m].source,
      }]),
    ),
    pairs,
    skipped,
    dimensions,
    ranking,
    ...verdictLists(ranking),
    eval_lied: evalLied(pairs, directions, noise),
    warnings: analysisWarnings(registry, window, skipped, pairs.length, settings.min_pairs),
    settings,
  };
}

/** The release pairs as CSV rows: one row per pair, eval deltas and metric deltas side by side. */
export function pairsCsv(result: CorrelationResult): string {
  const metrics = Object.keys(result.metrics);
  const dims = Object.keys(result.dimensions) as Dimension[];
  const columns = [
    "from",
    "to",
    "to_date",
    "rebaselined",
    "items",
    ...dims.flatMap((d) => [`${d}_diff`, `${d}_ci_lo`, `${d}_ci_hi`]),
    ...metrics.flatMap((m) => [`${m}_from`, `${m}_to`, `${m}_delta`]),
  ];
  const rows = result.pairs.map((p) => {
    const row: Record<string, unknown> = {
      from: p.from,
      to: p.to,
      to_date: p.to_date,
      rebaselined: p.rebaselined,
      items: p.items,
    };
    for (const d of dims) {
      row[`${d}_diff`] = p.eval[d].diff;
      row[`${d}_ci_lo`] = p.eval[d].ci[0];
      row[`${d}_ci_hi`] = p.eval[d].ci[1];
    }
    for (const m of metrics) {
      row[`${m}_from`] = p.prod[m]?.from;
      row[`${m}_to`] = p.prod[m]?.to;
      row[`${m}_delta`] = p.prod[m]?.delta;
    }
    return row;
  });
  return toCsv(rows, columns);
}

/**
 * The `correlate --json` summary of a result (SPEC §3 keys first).
 *
 * @example
 * ```ts
 * import { analyzeReleases, correlationSummary } from "./correlate.ts";
 * import { readReleaseRegistry } from "./registry.ts";
 * import { judgeDemoReleases } from "./demo.ts";
 * const out = await Deno.makeTempDir();
 * const { registry } = await judgeDemoReleases({ out, judge: "truth" });
 * const result = analyzeReleases(await readReleaseRegistry(registry), { resamples: 200, permutations: 200 });
 * const summary = correlationSummary(result, null);
 * if (summary.pairs !== 9 || !("dimensions" in summary)) throw new Error(JSON.stringify(summary).slice(0, 200));
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export function correlationSummary(
  result: CorrelationResult,
  artifact: string | null,
): Record<string, unknown> {
  const dimensions: Record<string, Record<string, unknown>> = {};
  const dims = Object.keys(result.dimensions) as Dimension[];
  for (const d of dims) {
    dimensions[d] = {};
    for (const [m, c] of Object.entries(result.dimensions[d])) {
      dimensions[d][m] = {
        pearson: c.pearson,
        spearman: c.spearman,
        pearson_ci: c.pearson_ci,
        spearman_ci: c.spearman_ci,
        p_value: c.p_value,
        directional_agreement: c.directional_agreement,
        n: c.n,
        spearman_p_value: c.spearman_p_value,
        p_exact: c.p_exact,
        ...(c.reason !== undefined ? { reason: c.reason } : {}),
      };
    }
  }
  return {
    artifact,
    quarter: result.quarter,
    pairs: result.pairs.length,
    dimensions,
    release_pairs: result.pairs.map((p) => ({
      from: p.from,
      to: p.to,
      rebaselined: p.rebaselined,
      eval: Object.fromEntries(
        dims.map((d) => [d, { diff: p.eval[d].diff, ci: p.eval[d].ci }]),
      ),
      prod: Object.fromEntries(Object.entries(p.prod).map(([m, v]) => [m, v?.delta ?? null])),
    })),
    skipped: result.skipped,
    ranking: Object.fromEntries(
      Object.entries(result.ranking).map(([m, rows]) => [
        m,
        rows.map((r) => ({
          dimension: r.dimension,
          pearson: r.pearson,
          pearson_ci: r.pearson_ci,
          verdict: r.verdict,
          verdict_label: r.verdict_label,
        })),
      ]),
    ),
    predicts_prod: result.predicts_prod,
    moves_against_prod: result.moves_against_prod,
    not_enough_evidence: result.not_enough_evidence,
    eval_lied: result.eval_lied.map((l) => ({
      from: l.from,
      to: l.to,
      dimension: l.dimension,
      metric: l.metric,
      eval_diff: l.eval_diff,
      metric_delta: l.metric_delta,
      kind: l.kind,
    })),
    metrics: result.metrics,
    warnings: result.warnings,
  };
}

/** Options for {@link correlateReleases}. */
export interface CorrelateReleasesOptions extends CorrelateOptions {
  /** Where the artifact goes. @default "runs" */
  out?: string;
  /** Where progress lines go. @default none */
  reporter?: Reporter;
  /** The clock for the manifest. @default () => new Date() */
  now?: () => Date;
}

/** What {@link correlateReleases} did. */
export interface CorrelateReleasesResult {
  /** The artifact folder. */
  artifact: string;
  /** False when an identical artifact already existed. */
  created: boolean;
  result: CorrelationResult;
  /** The `--json` summary. */
  summary: Record<string, unknown>;
}

/**
 * Read a release registry, correlate eval deltas with prod deltas for a quarter and write
 * a `correlation-<id>/` artifact (`correlation.json`, `pairs.csv`). The demo calls it in
 * one line.
 *
 * @param registryFile The release registry (CSV or JSONL, SPEC §4).
 * @param options Quarter, since, directions, noise, seed, statistics' settings, out.
 * @returns The artifact folder, the result and the `--json` summary.
 * @throws {TypeError} or {SyntaxError} naming file, line and field for a bad registry.
 * @throws {RangeError} A usage error for a bad option or a metric without a sign convention.
 */
/**
 * A path's last folder and file name: what outputs and parameters record, so the
 * same registry gives the same artifact wherever it sits (the full path and the
 * content hash are in the manifest's inputs).
 */
function shortPath(path: string): string {
  return path.split("/").filter(Boolean).slice(-2).join("/");
}

/**
 * @example
 * ```ts
 * import { correlateReleases } from "./correlate.ts";
 * import { judgeDemoReleases } from "./demo.ts";
 * const out = await Deno.makeTempDir();
 * const { registry } = await judgeDemoReleases({ out, judge: "truth" });
 * const { result, artifact } = await correlateReleases(registry, { out, resamples: 200, permutations: 200 });
 * if (result.pairs.length !== 9 || !artifact.includes("/correlation-")) throw new Error();
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export async function correlateReleases(
  registryFile: string,
  options: CorrelateReleasesOptions = {},
): Promise<CorrelateReleasesResult> {
  checkOptions(options);
  if (options.quarter !== undefined) parseQuarter(options.quarter);
  const registry = await readReleaseRegistry(registryFile);
  const result = analyzeReleases(registry, options);
  const used = new Set(result.pairs.flatMap((p) => [p.runs.from, p.runs.to]));
  const inputs = [
    registryFile,
    ...registry.releases.flatMap((r) =>
      r.runs.filter((x) => used.has(x.path)).map((x) => `${x.dir}/judgments.jsonl`)
    ),
  ];
  const written = await writeArtifact({
    kind: "correlation",
    out: options.out,
    command: "correlate",
    params: {
      releases: shortPath(registryFile),
      quarter: result.quarter,
      since: result.since,
      directions: Object.fromEntries(
        Object.entries(result.metrics).map(([m, v]) => [m, v.direction]),
      ),
      metric_noise: options.metricNoise ?? {},
      ...result.settings,
    },
    seed: result.settings.seed,
    inputs: [...new Set(inputs)],
    files: {
      "correlation.json": JSON.stringify(result, null, 2) + "\n",
      "pairs.csv": pairsCsv(result),
    },
    meta: {
      quarter: result.quarter,
      as_of: result.as_of,
      pairs: result.pairs.length,
      skipped: result.skipped.length,
      predicts_prod: result.predicts_prod,
    },
    now: options.now,
  });
  const summary = correlationSummary(result, written.dir);
  options.reporter?.info(
    `correlate ${result.quarter}: ${result.pairs.length} release pairs` +
      (result.skipped.length ? `, ${result.skipped.length} left out` : "") +
      ` → ${written.dir}${written.created ? "" : " (identical, kept)"}`,
  );
  return { artifact: written.dir, created: written.created, result, summary };
}
