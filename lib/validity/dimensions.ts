/**
 * The dimensions of a judgment run, from the run itself: what its manifest declares
 * (`meta.dimensions`, a rubric's own list) or else the score keys of its judgments.
 * Every analysis iterates over this list, never over a hard-coded one.
 *
 * @module
 */
import { DIMENSIONS, type Judgment } from "../schemas.ts";
import type { Manifest } from "../artifacts.ts";

/**
 * The run's dimensions, in the rubric's order.
 *
 * @param run A run's manifest and judgments.
 * @returns `meta.dimensions` when the manifest has it; else the score keys of the first
 * ok judgment (the default five in their usual order when they are those); else the default five.
 *
 * @example
 * ```ts
 * import { runDimensions } from "./dimensions.ts";
 * import assert from "node:assert/strict";
 *
 * const manifest = { meta: { dimensions: ["accuracy", "tone"] } };
 * assert.deepEqual(runDimensions({ manifest, judgments: [] } as never), ["accuracy", "tone"]);
 * ```
 */
export function runDimensions(
  run: { manifest: Pick<Manifest, "meta">; judgments: readonly Judgment[] },
): string[] {
  const declared: unknown = run.manifest.meta?.dimensions;
  if (Array.isArray(declared) && declared.every((d) => typeof d === "string")) {
    return [...declared];
  }
  const first = run.judgments.find((j) => j.status === "ok" && j.scores);
  if (!first?.scores) return [...DIMENSIONS];
  const keys = Object.keys(first.scores);
  const standard = DIMENSIONS.filter((d) => keys.includes(d));
  return [...standard, ...keys.filter((k) => !standard.includes(k as never))];
}
