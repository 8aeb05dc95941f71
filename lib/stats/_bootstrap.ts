/**
 * The steps of {@link bootstrapCI}: the resampled statistic, and for BCa the bias
 * correction, the jackknife acceleration and the adjusted quantile levels
 * (Efron 1987, as `scipy.stats.bootstrap`).
 *
 * @module
 */
import { sfc32 } from "./_random.ts";
import { normalCdf, normalQuantile } from "./_special.ts";

const TWO_POW_32 = 4294967296;

/**
 * The statistic on `resamples` resamples of `values` with replacement, drawn from a
 * seeded sfc32 stream; one buffer is reused for every resample.
 */
export function resampledStatistic<T>(
  values: readonly T[],
  statistic: (sample: readonly T[]) => number,
  resamples: number,
  seed: number,
): Float64Array {
  const n = values.length;
  const next = sfc32(seed);
  const sample = values.slice();
  const thetas = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) sample[i] = values[Math.floor((next() * n) / TWO_POW_32)];
    thetas[b] = statistic(sample);
  }
  return thetas;
}

/**
 * BCa's bias correction z0: the normal quantile of the share of resampled values
 * below the estimate, ties counting half (scipy's `_percentile_of_score`).
 * Infinite when the estimate lies outside them or is `NaN` (nothing is below it).
 */
export function biasCorrection(thetas: ArrayLike<number>, estimate: number): number {
  let below = 0;
  let atOrBelow = 0;
  for (let b = 0; b < thetas.length; b++) {
    if (thetas[b] < estimate) below++;
    if (thetas[b] <= estimate) atOrBelow++;
  }
  return normalQuantile((below + atOrBelow) / (2 * thetas.length));
}

/**
 * BCa's acceleration from the jackknife (leave-one-out) values of the statistic:
 * Σd³ / (6 (Σd²)^1.5) with d the deviations from their mean; 0 when they are all
 * equal; null when the statistic is `NaN` on some jackknife sample.
 */
export function jackknifeAcceleration<T>(
  values: readonly T[],
  statistic: (sample: readonly T[]) => number,
): number | null {
  const n = values.length;
  const jackknife = new Float64Array(n);
  const leaveOneOut = values.slice(1);
  for (let i = 0; i < n; i++) {
    for (let j = 0, k = 0; j < n; j++) if (j !== i) leaveOneOut[k++] = values[j];
    jackknife[i] = statistic(leaveOneOut);
  }
  let jackMean = 0;
  for (let i = 0; i < n; i++) jackMean += jackknife[i];
  jackMean /= n;
  let sumCubes = 0;
  let sumSquares = 0;
  for (let i = 0; i < n; i++) {
    const d = jackMean - jackknife[i];
    sumSquares += d * d;
    sumCubes += d * d * d;
  }
  if (Number.isNaN(sumSquares)) return null;
  return sumSquares === 0 ? 0 : sumCubes / (6 * Math.pow(sumSquares, 1.5));
}

/**
 * The quantile levels BCa reads the interval at, for a two-sided interval with
 * `alpha` in each tail: Φ(z0 + (z0 ± z_α) / (1 − a (z0 ± z_α))).
 */
export function bcaLevels(z0: number, acceleration: number, alpha: number): [number, number] {
  const zAlpha = normalQuantile(alpha);
  const num1 = z0 + zAlpha;
  const num2 = z0 - zAlpha;
  return [
    normalCdf(z0 + num1 / (1 - acceleration * num1)),
    normalCdf(z0 + num2 / (1 - acceleration * num2)),
  ];
}
