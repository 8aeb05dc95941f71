/**
 * Strata arithmetic: largest-remainder allocation and how far an eval set's
 * mix is from the prod mix (total variation distance and a chi-square
 * goodness-of-fit test).
 *
 * @module
 */
import { createHash } from "node:crypto";
import { regularizedGammaQ } from "../stats/_special.ts";

const md5 = (s: string) => createHash("md5").update(s).digest("hex");

/** One stratum's population, target and draw. */
export interface Allocation {
  stratum: string;
  /** Integer weight: millionths of a share, or the observed count. */
  weight: number;
  available: number;
  target: number;
  got: number;
}

/** Prod mix vs eval mix. */
export interface MixComparison {
  /** The mix sampled towards: the `--mix` file, or the mix observed in the window. */
  prod: Record<string, number>;
  /** The eval set's own mix. */
  eval: Record<string, number>;
  /** Total variation distance, ½ Σ |eval − prod|: 0 is a perfect match. */
  tvd: number;
  /** Pearson's chi-square goodness of fit of the eval counts to the prod mix. */
  chi_square: { statistic: number; df: number; p_value: number | null };
}

/**
 * Seats per stratum by largest remainder, in exact integer arithmetic: each
 * stratum gets ⌊n·wᵢ/W⌋, and the seats left go to the largest remainders
 * (ties to the larger weight, then the lower md5 of the stratum name, which
 * every SQL engine computes alike, unlike name collation).
 *
 * @example n = 200 at 60/20/10/10
 * ```ts
 * import { largestRemainder } from "./mix.ts";
 * const seats = largestRemainder(200, { billing: 0.6, technical: 0.2, account: 0.1, other: 0.1 });
 * if (seats.billing !== 120 || seats.technical !== 40 || seats.other !== 20) throw new Error();
 * ```
 */
export function largestRemainder(
  n: number,
  shares: Record<string, number>,
): Record<string, number> {
  const entries = Object.entries(shares).map(([s, v]) => [s, Math.round(v * 1_000_000)] as const);
  const total = entries.reduce((a, [, w]) => a + w, 0);
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`largestRemainder() needs a whole n, got ${n}`);
  }
  if (total <= 0) throw new RangeError("largestRemainder() needs a positive share");
  const rows = entries.map(([s, w]) => ({
    s,
    w,
    base: Math.floor((n * w) / total),
    rem: (n * w) % total,
  }));
  let left = n - rows.reduce((a, r) => a + r.base, 0);
  const order = [...rows].sort((a, b) =>
    b.rem - a.rem || b.w - a.w || (md5(a.s) < md5(b.s) ? -1 : 1)
  );
  for (const r of order) {
    if (left <= 0) break;
    r.base++;
    left--;
  }
  return Object.fromEntries(rows.map((r) => [r.s, r.base]));
}

/**
 * Compare the drawn mix to the prod mix.
 *
 * @param allocation Per stratum: available (prod counts in the window) and got (drawn).
 * @param mix The target shares, when given; otherwise the observed shares are the prod mix.
 *
 * @example
 * ```ts
 * import { mixComparison } from "./mix.ts";
 * const c = mixComparison([
 *   { stratum: "billing", weight: 600000, available: 900, target: 60, got: 60 },
 *   { stratum: "other", weight: 400000, available: 20, target: 40, got: 20 },
 * ], { billing: 0.6, other: 0.4 });
 * if (!(c.tvd > 0)) throw new Error(JSON.stringify(c));
 * ```
 */
export function mixComparison(
  allocation: readonly Allocation[],
  mix?: Record<string, number>,
): MixComparison {
  const strata = [...new Set([...allocation.map((a) => a.stratum), ...Object.keys(mix ?? {})])]
    .sort();
  const available = allocation.reduce((s, a) => s + a.available, 0);
  const drawn = allocation.reduce((s, a) => s + a.got, 0);
  const by = new Map(allocation.map((a) => [a.stratum, a]));
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  const prod: Record<string, number> = {};
  const evalMix: Record<string, number> = {};
  let tvd = 0;
  let statistic = 0;
  let cells = 0;
  for (const s of strata) {
    const p = mix ? (mix[s] ?? 0) : (by.get(s)?.available ?? 0) / (available || 1);
    const got = by.get(s)?.got ?? 0;
    const e = got / (drawn || 1);
    prod[s] = round(p);
    evalMix[s] = round(e);
    tvd += Math.abs(e - p) / 2;
    const expected = drawn * p;
    if (expected > 0) {
      statistic += (got - expected) ** 2 / expected;
      cells++;
    }
  }
  const df = cells - 1;
  return {
    prod,
    eval: evalMix,
    tvd: round(tvd),
    chi_square: {
      statistic: round(statistic),
      df,
      p_value: df > 0 && drawn > 0 ? regularizedGammaQ(df / 2, statistic / 2) : null,
    },
  };
}
