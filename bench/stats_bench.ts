/**
 * Benchmarks of lib/stats at the sizes evalkit meets:
 * `deno bench --allow-read bench/stats_bench.ts`.
 *
 * Targets: a bootstrap of 10,000 resamples over 200 items for each of the five
 * dimensions within 1 s in total; Krippendorff's alpha (ordinal) for 5 raters ×
 * 10,000 items within 0.5 s.
 *
 * @module
 */
import {
  bootstrapCI,
  cohenKappa,
  kendallTauB,
  krippendorffAlpha,
  mean,
  pairedDifference,
  seededRandom,
  spearman,
} from "../lib/stats/mod.ts";

const random = seededRandom(1);
const score = () => 1 + Math.floor(random() * 5);
const DIMENSIONS = 5;

/** Five dimensions × 200 items of 1–5 scores, for a baseline and a candidate. */
const baseline = Array.from({ length: DIMENSIONS }, () => Array.from({ length: 200 }, score));
const candidate = baseline.map((dim) =>
  dim.map((v) => Math.min(5, Math.max(1, v + Math.floor(random() * 3) - 1)))
);

/** 5 raters × 10,000 items, about 10% missing. */
const truth = Array.from({ length: 10_000 }, score);
const ratings = Array.from(
  { length: 5 },
  () =>
    truth.map((v) =>
      random() < 0.1 ? null : Math.min(5, Math.max(1, v + Math.floor(random() * 3) - 1))
    ),
);

const x = Array.from({ length: 10_000 }, score);
const y = x.map((v) => Math.min(5, Math.max(1, v + Math.floor(random() * 3) - 1)));

Deno.bench("bootstrapCI percentile, 10,000 resamples × 200 items × 5 dimensions", () => {
  for (const dim of baseline) bootstrapCI(dim, mean, { resamples: 10_000, method: "percentile" });
});

Deno.bench("bootstrapCI BCa, 10,000 resamples × 200 items × 5 dimensions", () => {
  for (const dim of baseline) bootstrapCI(dim, mean, { resamples: 10_000, method: "bca" });
});

Deno.bench(
  "pairedDifference, 10,000 resamples × 200 pairs × 5 dimensions (BCa + Monte Carlo p)",
  () => {
    for (let d = 0; d < DIMENSIONS; d++) {
      pairedDifference(baseline[d], candidate[d], { resamples: 10_000 });
    }
  },
);

Deno.bench("pairedDifference, exact p over 2^20 sign flips (n = 20)", () => {
  pairedDifference(baseline[0].slice(0, 20), candidate[0].slice(0, 20), { resamples: 1000 });
});

Deno.bench("krippendorffAlpha ordinal, 5 raters × 10,000 items", () => {
  krippendorffAlpha(ratings, { level: "ordinal" });
});

Deno.bench("krippendorffAlpha nominal, 5 raters × 10,000 items", () => {
  krippendorffAlpha(ratings, { level: "nominal" });
});

Deno.bench("spearman, 10,000 pairs", () => {
  spearman(x, y);
});

Deno.bench("kendallTauB, 10,000 pairs", () => {
  kendallTauB(x, y);
});

Deno.bench("cohenKappa quadratic, 10,000 pairs", () => {
  cohenKappa(x, y, { weights: "quadratic" });
});
