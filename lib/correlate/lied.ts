/**
 * "The eval lied": release pairs where a dimension moved beyond its noise one way and a
 * prod metric moved beyond its noise the other way (the eval said better, prod got
 * worse, or the reverse).
 *
 * - A dimension moved beyond its noise when its paired delta's confidence interval
 *   excludes 0.
 * - A prod metric moved beyond its noise when |Δ| exceeds the metric's noise: the
 *   caller's value (`--metric-noise COL=X`, e.g. twice the standard error of the
 *   metric's release-to-release change when sessions are counted), else by default half
 *   the median absolute release-to-release change over the pairs analysed. The default
 *   knows nothing about sampling error; it only refuses to call the smaller half of the
 *   usual moves "movement". State the noise when you know it.
 *
 * @module
 */
import type { Dimension } from "../schemas.ts";
import type { ReleasePair } from "./deltas.ts";
import type { MetricDirection } from "./registry.ts";

/** A metric's noise and where it came from. */
export interface MetricNoise {
  /** |Δ| above this is movement. */
  value: number;
  source: "option" | "default: half the median absolute change";
}

/**
 * Each metric's noise: the caller's value, else half the median absolute change over the pairs.
 *
 * @param pairs Release pairs.
 * @param metrics The metrics.
 * @param overrides Noise values the caller states, `{ metric: value }`.
 * @returns `{ metric: { value, source } }` (value 0 when no pair has the metric).
 * @throws {RangeError} When an override is negative or not finite, or names an unknown metric.
 *
 * @example
 * ```ts
 * import { metricNoise } from "./lied.ts";
 * const pair = (delta: number) => ({ prod: { tickets_per_1k: { from: 5, to: 5 + delta, delta, relative: delta / 5 } } });
 * const noise = metricNoise([pair(-0.4), pair(0.2), pair(-1.0)] as never, ["tickets_per_1k"]);
 * if (noise.tickets_per_1k.value !== 0.2) throw new Error(String(noise.tickets_per_1k.value));
 * ```
 */
export function metricNoise(
  pairs: readonly Pick<ReleasePair, "prod">[],
  metrics: readonly string[],
  overrides: Readonly<Record<string, number>> = {},
): Record<string, MetricNoise> {
  for (const [m, v] of Object.entries(overrides)) {
    if (!metrics.includes(m)) {
      throw new RangeError(
        `Unknown metric "${m}" in the metric noise: the registry's metrics are ${
          metrics.map((x) => `"${x}"`).join(", ")
        }`,
      );
    }
    if (!Number.isFinite(v) || v < 0) {
      throw new RangeError(`Invalid noise for "${m}": expected a number >= 0, got ${v}`);
    }
  }
  const out: Record<string, MetricNoise> = {};
  for (const m of metrics) {
    if (overrides[m] !== undefined) {
      out[m] = { value: overrides[m], source: "option" };
      continue;
    }
    const abs = pairs.map((p) => p.prod[m]).filter((d) => d != null).map((d) => Math.abs(d!.delta))
      .sort((a, b) => a - b);
    const k = abs.length;
    const median = k === 0 ? 0 : k % 2 ? abs[(k - 1) / 2] : (abs[k / 2 - 1] + abs[k / 2]) / 2;
    out[m] = { value: median / 2, source: "default: half the median absolute change" };
  }
  return out;
}

/** One pair where a dimension and a prod metric moved beyond their noise in opposite ways. */
export interface EvalLie {
  from: string;
  to: string;
  dimension: Dimension;
  metric: string;
  /** The dimension's paired delta and its interval. */
  eval_diff: number;
  eval_ci: [number, number];
  /** The metric's change, its relative change and its noise. */
  metric_delta: number;
  metric_relative: number | null;
  metric_noise: number;
  /** `"eval up, prod worse"` or `"eval down, prod better"`. */
  kind: "eval up, prod worse" | "eval down, prod better";
  /** One line for people, e.g. `r08→r09: relevance +0.27 [+0.19, +0.35] but thumbs_down_rate +0.0096 (+15.0%), worse`. */
  text: string;
}

function signed(v: number, digits: number): string {
  return (v > 0 ? "+" : v < 0 ? "−" : "") + Math.abs(v).toFixed(digits);
}

/** Digits that show a metric's changes (at least 2 significant). */
export function metricDigits(values: readonly number[]): number {
  const typical = values.map(Math.abs).filter((v) => v > 0).sort((a, b) => a - b)[0] ?? 1;
  return Math.min(6, Math.max(2, 1 - Math.floor(Math.log10(typical))));
}

/**
 * The pairs where the eval lied: per dimension and metric, the eval delta's interval
 * excludes 0 one way while the metric moved beyond its noise the other way.
 *
 * @param pairs Release pairs (from {@link releaseDeltas}).
 * @param directions Each metric's good direction.
 * @param noise Each metric's noise (from {@link metricNoise}).
 * @returns The lies, in pair order, then dimension, then metric.
 *
 * @example
 * ```ts
 * import { evalLied } from "./lied.ts";
 * const dim = (diff: number) => ({ diff, ci: [diff - 0.1, diff + 0.1], p_value: 0.01, mean_from: 3, mean_to: 3 + diff, moved: 1 });
 * const pair = { from: "a", to: "b", eval: { correctness: dim(0.3), relevance: dim(0.3), clarity: dim(0),
 *   calibration: dim(0), length: dim(0) }, prod: { thumbs_down_rate: { from: 0.1, to: 0.104, delta: 0.004, relative: 0.04 } } };
 * const lies = evalLied([pair] as never, { thumbs_down_rate: "lower" }, { thumbs_down_rate: { value: 0.003, source: "option" } });
 * if (lies.length !== 2 || lies[0].kind !== "eval up, prod worse") throw new Error(JSON.stringify(lies));
 * ```
 */
export function evalLied(
  pairs: readonly Pick<ReleasePair, "from" | "to" | "eval" | "prod">[],
  directions: Readonly<Record<string, MetricDirection>>,
  noise: Readonly<Record<string, MetricNoise>>,
): EvalLie[] {
  const digits: Record<string, number> = {};
  for (const m of Object.keys(directions)) {
    digits[m] = metricDigits(pairs.map((p) => p.prod[m]?.delta ?? 0));
  }
  const lies: EvalLie[] = [];
  for (const p of pairs) {
    for (const d of Object.keys(p.eval) as Dimension[]) {
      const e = p.eval[d];
      const moved = e.ci[0] > 0 ? 1 : e.ci[1] < 0 ? -1 : 0;
      if (moved === 0) continue;
      for (const [m, direction] of Object.entries(directions)) {
        const pm = p.prod[m];
        const n = noise[m]?.value ?? 0;
        if (!pm || Math.abs(pm.delta) <= n) continue;
        const good = Math.sign(pm.delta) * (direction === "lower" ? -1 : 1);
        if (good === 0 || good === moved) continue;
        const rel = pm.relative === null ? "" : ` (${signed(pm.relative * 100, 1)}%)`;
        lies.push({
          from: p.from,
          to: p.to,
          dimension: d,
          metric: m,
          eval_diff: e.diff,
          eval_ci: e.ci,
          metric_delta: pm.delta,
          metric_relative: pm.relative,
          metric_noise: n,
          kind: moved > 0 ? "eval up, prod worse" : "eval down, prod better",
          text: `${p.from}→${p.to}: ${d} ${signed(e.diff, 2)} [${signed(e.ci[0], 2)}, ${
            signed(e.ci[1], 2)
          }] but ${m} ${signed(pm.delta, digits[m])}${rel}, ${moved > 0 ? "worse" : "better"}`,
        });
      }
    }
  }
  return lies;
}
