import assert from "node:assert/strict";
import {
  analysisWarnings,
  correlateSettings,
  directionsFor,
  noiseFor,
  releaseWindow,
} from "./_analyze.ts";
import { parseQuarter } from "./quarter.ts";
import type { RegistryRelease, ReleaseRegistry } from "./registry.ts";

const rel = (release: string, date: string, warnings: string[] = []) =>
  ({ release, date, runs: [{ warnings }], metrics: {} }) as unknown as RegistryRelease;
const registry = (releases: RegistryRelease[]): ReleaseRegistry => ({
  file: "data/releases.csv",
  releases,
  metrics: ["thumbs_down_rate", "tickets_per_1k"],
  runFiles: [],
  warnings: ["registry warning"],
});

Deno.test("correlateSettings() fills in the documented defaults and keeps what is given", () => {
  assert.deepEqual(correlateSettings({}), {
    seed: 0,
    resamples: 9999,
    level: 0.95,
    min_pairs: 5,
    exact_max_n: 8,
    permutations: 10000,
  });
  assert.deepEqual(correlateSettings({ seed: 3, minPairs: 4, exactMaxN: 0 }), {
    seed: 3,
    resamples: 9999,
    level: 0.95,
    min_pairs: 4,
    exact_max_n: 0,
    permutations: 10000,
  });
});

Deno.test("releaseWindow() takes releases up to the quarter's end (default: the latest's) and from since", () => {
  const reg = registry([
    rel("r1", "2026-05-20"),
    rel("r2", "2026-06-30"),
    rel("r3", "2026-07-01"),
    rel("r4", "2026-08-15"),
  ]);
  const latest = releaseWindow(reg, undefined, undefined);
  assert.equal(latest.quarter.label, "2026-Q3");
  assert.deepEqual(latest.releases.map((r) => r.release), ["r1", "r2", "r3", "r4"]);
  assert.equal(latest.since, null);
  const q2 = releaseWindow(reg, "2026-Q2", "2026-06-01");
  assert.deepEqual(q2.releases.map((r) => r.release), ["r2"], "the quarter's last day included");
  assert.deepEqual(q2.leftOut, ["r1", "r3", "r4"]);
  assert.throws(() => releaseWindow(reg, "2026-Q5", undefined), RangeError);
});

Deno.test("directionsFor() overrides a default and refuses a metric the registry does not have", () => {
  const reg = registry([]);
  assert.deepEqual(directionsFor(reg, { tickets_per_1k: "higher" }), {
    thumbs_down_rate: "lower",
    tickets_per_1k: "higher",
  });
  assert.throws(() => directionsFor(reg, { csat: "higher" }), {
    name: "RangeError",
    message:
      'Unknown metric "csat": the registry\'s metrics are "thumbs_down_rate", "tickets_per_1k"',
  });
});

Deno.test("noiseFor() keeps a given noise and turns a bad one into a usage error", () => {
  const noise = noiseFor([], ["thumbs_down_rate"], { thumbs_down_rate: 0.004 });
  assert.equal(noise.thumbs_down_rate.value, 0.004);
  assert.throws(() => noiseFor([], ["thumbs_down_rate"], { csat: 1 }), {
    name: "RangeError",
    message:
      'Unknown metric "csat" in the metric noise: the registry\'s metrics are "thumbs_down_rate"',
  });
});

Deno.test("analysisWarnings() lists the registry's, each run warning once, every pair left out, and too few pairs", () => {
  const window = {
    quarter: parseQuarter("2026-Q3"),
    releases: [
      rel("r1", "2026-07-01", ["heuristic judge"]),
      rel("r2", "2026-07-08", ["heuristic judge"]),
    ],
  };
  assert.deepEqual(
    analysisWarnings(
      registry([]),
      window,
      [{ from: "r1", to: "r2", reason: "the judge changed" }],
      1,
      5,
    ),
    [
      "registry warning",
      "heuristic judge",
      "r1→r2 left out: the judge changed",
      "1 release pair in 2026-Q3: correlations are not estimable (at least 5 needed)",
    ],
  );
  assert.match(analysisWarnings(registry([]), window, [], 0, 5).at(-1)!, /^0 release pairs in/);
  assert.deepEqual(analysisWarnings(registry([]), window, [], 5, 5), [
    "registry warning",
    "heuristic judge",
  ]);
});
