/**
 * The steps of {@link analyzeReleases}: the statistics' settings, the releases of the
 * quarter, the metrics' directions and noise, and the warnings of the analysis.
 *
 * @module
 */
import { usageError } from "../_errors.ts";
import type { CorrelateOptions, CorrelationResult } from "./correlate.ts";
import type { ReleasePair, SkippedPair } from "./deltas.ts";
import { type MetricNoise, metricNoise } from "./lied.ts";
import { parseQuarter, type Quarter, quarterOf } from "./quarter.ts";
import {
  type MetricDirection,
  metricDirections,
  type RegistryRelease,
  type ReleaseRegistry,
} from "./registry.ts";

/** The statistics' settings of an analysis, defaults filled in, as the result records them. */
export function correlateSettings(options: CorrelateOptions): CorrelationResult["settings"] {
  const {
    seed = 0,
    resamples = 9999,
    level = 0.95,
    minPairs = 5,
    exactMaxN = 8,
    permutations = 10000,
  } = options;
  return {
    seed,
    resamples,
    level,
    min_pairs: minPairs,
    exact_max_n: exactMaxN,
    permutations,
  };
}

/** The releases an analysis covers. */
export interface ReleaseWindow {
  quarter: Quarter;
  since: string | null;
  /** Releases dated up to the quarter's last day (and from `since`), in registry order. */
  releases: RegistryRelease[];
  /** The other releases' names. */
  leftOut: string[];
}

/**
 * The releases dated up to the end of the quarter (`label`, or the latest release's
 * quarter) and from `since`.
 *
 * @throws {RangeError} A usage error for a bad quarter.
 */
export function releaseWindow(
  registry: ReleaseRegistry,
  label: string | undefined,
  since: string | undefined,
): ReleaseWindow {
  const latest = registry.releases[registry.releases.length - 1];
  const quarter = label !== undefined ? parseQuarter(label) : quarterOf(latest.date);
  const from = since ?? null;
  const releases = registry.releases.filter((r) =>
    r.date <= quarter.end && (from === null || r.date >= from)
  );
  const leftOut = registry.releases.filter((r) => !releases.includes(r)).map((r) => r.release);
  return { quarter, since: from, releases, leftOut };
}

/**
 * Each metric's direction (the defaults, overridden).
 *
 * @throws {RangeError} A usage error for a metric without a sign convention, or an
 * override naming a metric the registry does not have.
 */
export function directionsFor(
  registry: ReleaseRegistry,
  overrides: Readonly<Record<string, MetricDirection>>,
): Record<string, MetricDirection> {
  const directions = metricDirections(registry.metrics, overrides);
  for (const m of Object.keys(overrides)) {
    if (!registry.metrics.includes(m)) {
      throw usageError(
        `Unknown metric "${m}": the registry's metrics are ${
          registry.metrics.map((x) => `"${x}"`).join(", ")
        }`,
      );
    }
  }
  return directions;
}

/**
 * Each metric's noise ({@link metricNoise}), a bad override as a usage error.
 *
 * @throws {RangeError} A usage error for an override naming an unknown metric or a bad value.
 */
export function noiseFor(
  pairs: readonly ReleasePair[],
  metrics: readonly string[],
  overrides: Readonly<Record<string, number>>,
): Record<string, MetricNoise> {
  try {
    return metricNoise(pairs, metrics, overrides);
  } catch (e) {
    throw usageError((e as Error).message);
  }
}

/**
 * The analysis's warnings: the registry's, its runs' (once each), every release pair
 * left out with its reason, and too few pairs for a correlation.
 */
export function analysisWarnings(
  registry: Pick<ReleaseRegistry, "warnings">,
  window: Pick<ReleaseWindow, "quarter" | "releases">,
  skipped: readonly SkippedPair[],
  pairs: number,
  minPairs: number,
): string[] {
  const warnings = [...registry.warnings];
  for (const w of new Set(window.releases.flatMap((r) => r.runs.flatMap((x) => x.warnings)))) {
    warnings.push(w);
  }
  for (const s of skipped) warnings.push(`${s.from}→${s.to} left out: ${s.reason}`);
  if (pairs < minPairs) {
    warnings.push(
      `${pairs} release pair${pairs === 1 ? "" : "s"} in ${window.quarter.label}: ` +
        `correlations are not estimable (at least ${minPairs} needed)`,
    );
  }
  return warnings;
}
