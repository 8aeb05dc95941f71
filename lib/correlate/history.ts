/**
 * The correlation's history: every `correlation-<id>/` artifact in a runs folder, one per
 * quarter (the latest written when a quarter was analysed more than once), and the
 * quarter-over-quarter trend of each dimension × metric correlation: whether its interval
 * tightened, and a flag when it weakened.
 *
 * A correlation weakened from one quarter to the next when its signed correlation
 * (positive: a higher score came with better prod) fell by at least `weakenBy`, or when
 * it was a dimension to watch (interval above 0) and no longer is. It tightened when its
 * interval narrowed without weakening.
 *
 * @module
 */
import { readArtifact } from "../artifact_kinds.ts";
import { readRuns } from "../runs.ts";
import type { Dimension } from "../schemas.ts";
import type { CorrelationCell } from "./correlation.ts";
import { type CorrelationVerdict, correlationVerdict } from "./rank.ts";

/** One quarter's correlation, read back from its artifact. */
export interface HistoryEntry {
  quarter: string;
  /** The artifact folder. */
  artifact: string;
  created_at: string;
  /** Release pairs analysed. */
  pairs: number;
  dimensions: Record<Dimension, Record<string, CorrelationCell>>;
  /** Older artifacts of the same quarter, not used. */
  superseded: string[];
}

/**
 * Read every correlation artifact in a folder, one per quarter, in quarter order.
 *
 * @param dir The runs folder (`--out` of `correlate`).
 * @returns One entry per quarter: the latest artifact written for it.
 * @throws {TypeError} When the folder does not exist.
 *
 * @example
 * ```ts
 * import { readCorrelationHistory } from "./history.ts";
 * const dir = await Deno.makeTempDir();
 * if ((await readCorrelationHistory(dir)).length !== 0) throw new Error();
 * await Deno.remove(dir);
 * ```
 */
export async function readCorrelationHistory(dir: string): Promise<HistoryEntry[]> {
  const found: HistoryEntry[] = [];
  for (const e of (await readRuns(dir)).filter((e) => e.kind === "correlation")) {
    const { data } = await readArtifact(e.dir, "correlation");
    found.push({
      quarter: data.quarter,
      artifact: e.dir,
      created_at: e.created_at,
      pairs: data.pairs.length,
      dimensions: data.dimensions,
      superseded: [],
    });
  }
  const byQuarter = new Map<string, HistoryEntry[]>();
  for (const h of found) byQuarter.set(h.quarter, [...(byQuarter.get(h.quarter) ?? []), h]);
  const out: HistoryEntry[] = [];
  for (const [, entries] of byQuarter) {
    entries.sort((a, b) =>
      b.created_at.localeCompare(a.created_at) || a.artifact.localeCompare(b.artifact)
    );
    out.push({ ...entries[0], superseded: entries.slice(1).map((e) => e.artifact) });
  }
  return out.sort((a, b) => a.quarter.localeCompare(b.quarter));
}

/** One quarter's value of one dimension × metric correlation. */
export interface TrendPoint {
  quarter: string;
  n: number;
  pearson: number | null;
  pearson_ci: [number, number] | null;
  /** Signed so that positive is "higher score, better prod". */
  oriented: number | null;
  /** Width of the interval. */
  ci_width: number | null;
  verdict: CorrelationVerdict;
}

/** One dimension × metric correlation over the quarters. */
export interface TrendRow {
  dimension: Dimension;
  metric: string;
  points: TrendPoint[];
  /** Signed correlation, latest estimable quarter minus the one before (`null` with fewer than two). */
  change: number | null;
  /** The interval narrowed from the previous estimable quarter to the latest, without weakening. */
  tightened: boolean | null;
  /** The correlation weakened from the previous estimable quarter to the latest. */
  weakened: boolean | null;
}

/** The quarter-over-quarter trend. */
export interface CorrelationTrend {
  quarters: string[];
  rows: TrendRow[];
  /** One line per weakening, every quarter to the next, e.g. `calibration vs thumbs_down_rate weakened 2026-Q2 → 2026-Q3: …`. */
  flags: string[];
}

/** Options for {@link correlationTrend}. */
export interface TrendOptions {
  /** A fall of the signed correlation by at least this is a weakening. @default 0.2 */
  weakenBy?: number;
}

function fmt(v: number): string {
  return (v < 0 ? "−" : "") + Math.abs(v).toFixed(2);
}

/**
 * The quarter-over-quarter trend of each dimension × metric correlation.
 *
 * @param entries History entries in quarter order (from {@link readCorrelationHistory}).
 * @param options `weakenBy`.
 * @returns The quarters, one row per dimension × metric, and a flag per weakening.
 *
 * @example
 * ```ts
 * import { correlationTrend } from "./history.ts";
 * const cell = (r: number, lo: number, hi: number) => ({ n: 9, pearson: r, pearson_ci: [lo, hi],
 *   oriented: -r, oriented_ci: [-hi, -lo] });
 * const entry = (quarter: string, r: number, lo: number, hi: number) => ({ quarter, artifact: quarter,
 *   created_at: "", pairs: 9, superseded: [], dimensions: { correctness: { thumbs_down_rate: cell(r, lo, hi) } } });
 * const trend = correlationTrend([entry("2026-Q2", -0.8, -0.95, -0.4), entry("2026-Q3", -0.3, -0.8, 0.3)] as never);
 * if (trend.rows[0].weakened !== true || trend.flags.length !== 1) throw new Error(JSON.stringify(trend));
 * ```
 */
export function correlationTrend(
  entries: readonly Pick<HistoryEntry, "quarter" | "dimensions">[],
  options: TrendOptions = {},
): CorrelationTrend {
  const { weakenBy = 0.2 } = options;
  const quarters = entries.map((e) => e.quarter);
  const metrics: string[] = [];
  const dims: Dimension[] = [];
  for (const e of entries) {
    for (const d of Object.keys(e.dimensions) as Dimension[]) if (!dims.includes(d)) dims.push(d);
  }
  for (const e of entries) {
    for (const d of dims) {
      for (const m of Object.keys(e.dimensions[d] ?? {})) if (!metrics.includes(m)) metrics.push(m);
    }
  }
  const rows: TrendRow[] = [];
  const flags: string[] = [];
  for (const m of metrics) {
    for (const d of dims) {
      const points: TrendPoint[] = [];
      for (const e of entries) {
        const c = e.dimensions[d]?.[m];
        if (!c) continue;
        points.push({
          quarter: e.quarter,
          n: c.n,
          pearson: c.pearson,
          pearson_ci: c.pearson_ci,
          oriented: c.oriented,
          ci_width: c.pearson_ci ? c.pearson_ci[1] - c.pearson_ci[0] : null,
          verdict: correlationVerdict(c).verdict,
        });
      }
      const estimable = points.filter((p) => p.oriented !== null);
      let change: number | null = null;
      let tightened: boolean | null = null;
      let weakened: boolean | null = null;
      for (let i = 1; i < estimable.length; i++) {
        const a = estimable[i - 1];
        const b = estimable[i];
        const drop = a.oriented! - b.oriented!;
        const lostWatch = a.verdict === "predicts prod" && b.verdict !== "predicts prod";
        const weak = drop >= weakenBy || lostWatch;
        if (weak) {
          flags.push(
            `${d} vs ${m} weakened ${a.quarter} → ${b.quarter}: Pearson r ${fmt(a.pearson!)} → ${
              fmt(b.pearson!)
            }` + (lostWatch ? ` (no longer predicts prod: ${b.verdict})` : ""),
          );
        }
        if (i === estimable.length - 1) {
          change = b.oriented! - a.oriented!;
          weakened = weak;
          tightened = !weak && b.ci_width! < a.ci_width!;
        }
      }
      rows.push({ dimension: d, metric: m, points, change, tightened, weakened });
    }
  }
  return { quarters, rows, flags };
}
