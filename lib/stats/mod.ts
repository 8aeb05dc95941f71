/**
 * The statistics of evalkit (SPEC §6): correlation, rater agreement, Krippendorff's
 * alpha, seeded bootstrap intervals and paired comparisons. Pure functions of arrays;
 * none modifies its input, and randomness comes only from a seed.
 *
 * Which are ours and which come from simple-statistics:
 * - From simple-statistics, re-exported unchanged: `mean`, `median`, `sampleVariance`,
 *   `sampleStandardDeviation` (see `summary.ts`).
 * - Ours, because simple-statistics lacks them or differs from the reference we match:
 *   `pearson`, `spearman`, `kendallTauB` and their `*Test` variants with p-values (scipy's
 *   tie handling, edge cases and p-values), `rank`, `cohenKappa` and `confusionMatrix`
 *   (scikit-learn), `krippendorffAlpha` (Krippendorff 2011), `exactAgreement`,
 *   `adjacentAgreement`, `bootstrapCI` (percentile and BCa, as scipy), `pairedDifference`,
 *   `seededRandom` (sfc32), and for item-level validity `mannWhitneyAuc` (weighted),
 *   `delongAuc`, `aucBootstrapCI`, `wilsonInterval`, `logisticRegression` and
 *   `varianceInflation` (checked against scikit-learn, scipy and statsmodels in
 *   `validity_references.json`, from `make_validity_references.py`). The normal and Student t tail probabilities behind the
 *   p-values are ours too: simple-statistics' `probit` and `errorFunction` are accurate
 *   only to about 1e-7.
 *
 * Every function is checked against scipy 1.10, scikit-learn 1.2 and nltk 3.8 reference
 * values in `tests/fixtures/stats/references.json` (regenerate with
 * `/usr/bin/python3 tests/fixtures/stats/make_references.py`).
 *
 * @example
 * ```ts
 * import { cohenKappa, spearman } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const judge = [4, 5, 3, 2, 4, 5];
 * const human = [4, 4, 3, 1, 4, 5];
 * assert.ok(spearman(judge, human) > 0.9);
 * assert.ok(cohenKappa(judge, human, { weights: "quadratic" }) > 0.8);
 * ```
 *
 * @module
 */
export { mean, median, sampleStandardDeviation, sampleVariance } from "./summary.ts";
export {
  type CorrelationTest,
  kendallTauB,
  kendallTauBTest,
  pearson,
  pearsonTest,
  rank,
  spearman,
  spearmanTest,
} from "./correlation.ts";
export {
  adjacentAgreement,
  cohenKappa,
  type CohenKappaOptions,
  confusionMatrix,
  exactAgreement,
} from "./agreement.ts";
export {
  krippendorffAlpha,
  type KrippendorffAlphaOptions,
  type KrippendorffLevel,
} from "./krippendorff.ts";
export {
  bootstrapCI,
  type BootstrapMethod,
  type BootstrapOptions,
  type BootstrapResult,
} from "./bootstrap.ts";
export { type PairedDifference, pairedDifference, type PairedDifferenceOptions } from "./paired.ts";
export { type RandomSource, seededRandom } from "./_random.ts";
export {
  aucBootstrapCI,
  type AucBootstrapOptions,
  type AucBootstrapResult,
  type AucOptions,
  delongAuc,
  type DelongOptions,
  type DelongResult,
  mannWhitneyAuc,
} from "./auc.ts";
export { type WilsonInterval, wilsonInterval, type WilsonOptions } from "./proportion.ts";
export {
  type LogisticFit,
  type LogisticOptions,
  logisticRegression,
  varianceInflation,
} from "./logistic.ts";
