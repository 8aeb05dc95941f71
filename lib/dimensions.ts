/**
 * Dimension sets: which dimensions a rubric scores and on what scale.
 *
 * The kit's default is the five dimensions of `DIMENSIONS` on 1–5. A rubric may
 * declare its own in front matter (see `lib/judge/prompt.ts`), and an import may name
 * them (`--dimensions a,b --scale 1-10`). Every artifact that holds scores records its
 * set in the manifest (`meta.dimensions`, `meta.scale`); readers take it from there,
 * and a manifest without one holds the default set.
 *
 * A scale is an integer range `min`–`max`; `binary` is 0–1. Krippendorff's alpha is
 * nominal on a binary scale and ordinal on any other.
 *
 * @module
 */
import { z } from "zod";
import { usageError } from "./_errors.ts";
import {
  DIMENSIONS,
  Id,
  Judgment,
  minScoresOn,
  RegressionCase,
  regressionCaseWith,
  Usage,
} from "./schemas.ts";

/** An integer scale `min`–`max`; `binary` is 0–1. */
export interface Scale {
  min: number;
  max: number;
}

/** The default scale, 1–5. */
export const DEFAULT_SCALE: Scale = Object.freeze({ min: 1, max: 5 });

/** A dimension set: names in report order, and one scale for all of them. */
export interface DimensionSet {
  dimensions: readonly string[];
  scale: Scale;
}

/** The kit's default set: the five dimensions on 1–5. */
export const DEFAULT_DIMENSION_SET: DimensionSet = Object.freeze({
  dimensions: DIMENSIONS,
  scale: DEFAULT_SCALE,
});

const NAME = /^[a-z][a-z0-9_]*$/;

/** Whether `name` is a valid dimension name: snake_case, starting with a letter. */
export function isDimensionName(name: string): boolean {
  return NAME.test(name);
}

/**
 * Parse a scale: `1-5`, `1–10`, `0-3` (any integer range with at least two points) or `binary`.
 *
 * @throws {RangeError} A usage error naming the value.
 *
 * @example
 * ```ts
 * import { parseScale } from "./dimensions.ts";
 * const s = parseScale("1-10");
 * if (s.min !== 1 || s.max !== 10 || parseScale("binary").max !== 1) throw new Error("bad scale");
 * ```
 */
export function parseScale(text: string): Scale {
  const t = text.trim();
  if (t === "binary") return { min: 0, max: 1 };
  const m = /^(-?\d+)\s*[-–]\s*(-?\d+)$/.exec(t);
  if (!m || Number(m[1]) >= Number(m[2])) {
    throw usageError(
      `Invalid scale "${text}": expected an integer range like 1-5 or 1-10, or binary`,
    );
  }
  return { min: Number(m[1]), max: Number(m[2]) };
}

/**
 * A scale as people write it: `1–5`, or `binary` for 0–1.
 *
 * @example
 * ```ts
 * import { scaleLabel } from "./dimensions.ts";
 * if (scaleLabel({ min: 1, max: 10 }) !== "1–10" || scaleLabel({ min: 0, max: 1 }) !== "binary") {
 *   throw new Error();
 * }
 * ```
 */
export function scaleLabel(scale: Scale): string {
  return scale.min === 0 && scale.max === 1 ? "binary" : `${scale.min}–${scale.max}`;
}

/** The categories of a scale, lowest first. */
export function scaleLabels(scale: Scale): number[] {
  return Array.from({ length: scale.max - scale.min + 1 }, (_, i) => scale.min + i);
}

/** The Krippendorff level that fits a scale: nominal for binary, ordinal otherwise. */
export function alphaLevel(scale: Scale): "nominal" | "ordinal" {
  return scale.max - scale.min === 1 ? "nominal" : "ordinal";
}

/**
 * Parse a comma-separated dimension list (`--dimensions a,b`).
 *
 * @throws {RangeError} A usage error for an empty list, a bad name or a repeat.
 */
export function parseDimensionList(text: string, flag = "--dimensions"): string[] {
  const names = text.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (names.length === 0) throw usageError(`Invalid ${flag} "${text}": expected names a,b`);
  for (const n of names) {
    if (!isDimensionName(n)) {
      throw usageError(
        `Invalid ${flag} "${text}": "${n}" is not a dimension name (snake_case: a-z, 0-9, _)`,
      );
    }
  }
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated) throw usageError(`Invalid ${flag} "${text}": "${repeated}" is named twice`);
  return names;
}

/** An integer score on `scale`, from a number or a CSV cell. */
export function scoreSchema(scale: Scale): z.ZodType<number> {
  return z.preprocess(
    (v) => (typeof v === "string" && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v),
    z.number().int().min(scale.min).max(scale.max),
  ) as unknown as z.ZodType<number>;
}

/** The scores of one judgment on a dimension set: exactly its dimensions. */
export function scoresSchema(set: DimensionSet): z.ZodType<Record<string, number>> {
  const score = scoreSchema(set.scale);
  return z.strictObject(
    Object.fromEntries(set.dimensions.map((d) => [d, score])),
  ) as unknown as z.ZodType<
    Record<string, number>
  >;
}

/** Whether two sets are the same: the same names in the same order, on the same scale. */
export function sameSet(a: DimensionSet, b: DimensionSet): boolean {
  return sameNames(a.dimensions, b.dimensions) && a.scale.min === b.scale.min &&
    a.scale.max === b.scale.max;
}

/** Whether a set is the kit's default (the five on 1–5). */
export function isDefaultSet(set: DimensionSet): boolean {
  return sameSet(set, DEFAULT_DIMENSION_SET);
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

const ManifestSet = z.object({
  dimensions: z.array(z.string().regex(NAME)).min(1).optional(),
  scale: z.object({ min: z.number().int(), max: z.number().int() }).optional(),
});

/**
 * The dimension set an artifact's manifest records (`meta.dimensions`, `meta.scale`);
 * the default set when it records none (artifacts made before sets existed).
 *
 * @example
 * ```ts
 * import { dimensionSetOf } from "./dimensions.ts";
 * const set = dimensionSetOf({ meta: { dimensions: ["tone"], scale: { min: 1, max: 10 } } });
 * if (set.dimensions.join() !== "tone" || set.scale.max !== 10) throw new Error();
 * if (dimensionSetOf({ meta: {} }).dimensions.length !== 5) throw new Error("the default five");
 * ```
 */
export function dimensionSetOf(manifest: { meta: Record<string, unknown> }): DimensionSet {
  const parsed = ManifestSet.safeParse(manifest.meta ?? {});
  const meta = parsed.success ? parsed.data : {};
  return {
    dimensions: meta.dimensions ?? DIMENSIONS,
    scale: meta.scale ?? DEFAULT_SCALE,
  };
}

/** The manifest facts of a set, to spread into `meta`. */
export function dimensionMeta(set: DimensionSet): { dimensions: string[]; scale: Scale } {
  return { dimensions: [...set.dimensions], scale: { min: set.scale.min, max: set.scale.max } };
}

/** What {@link sharedDimensions} chose, and what it says about the choice. */
export interface SharedDimensions {
  set: DimensionSet;
  /** Set when `--dimensions` chose a subset: the sentence the artifact records. */
  note: string | null;
}

/**
 * The dimensions two sources share. Identical sets pass; differing sets are refused,
 * naming the difference, unless `wanted` (`--dimensions a,b`) picks dimensions both have.
 *
 * @param a The first source's set and its name (e.g. the run's folder).
 * @param b The second source's set and its name.
 * @param wanted Dimensions to use, when given.
 * @throws {RangeError} A usage error naming what differs.
 */
export function sharedDimensions(
  a: { name: string; set: DimensionSet },
  b: { name: string; set: DimensionSet },
  wanted?: readonly string[],
): SharedDimensions {
  if (a.set.scale.min !== b.set.scale.min || a.set.scale.max !== b.set.scale.max) {
    throw usageError(
      `${a.name} scores on ${scaleLabel(a.set.scale)} but ${b.name} on ${
        scaleLabel(b.set.scale)
      }: scores on different scales cannot be compared`,
    );
  }
  const onlyA = a.set.dimensions.filter((d) => !b.set.dimensions.includes(d));
  const onlyB = b.set.dimensions.filter((d) => !a.set.dimensions.includes(d));
  if (wanted && wanted.length > 0) {
    const missing = wanted.filter((d) =>
      onlyA.includes(d) || onlyB.includes(d) ||
      !a.set.dimensions.includes(d)
    );
    if (missing.length > 0) {
      throw usageError(
        `--dimensions ${wanted.join(",")}: ${missing.join(", ")} not in both ${a.name} (${
          a.set.dimensions.join(", ")
        }) and ${b.name} (${b.set.dimensions.join(", ")})`,
      );
    }
    const note = sameNames(wanted, a.set.dimensions) && sameNames(wanted, b.set.dimensions)
      ? null
      : `dimensions limited by --dimensions to ${wanted.join(", ")}`;
    return { set: { dimensions: [...wanted], scale: a.set.scale }, note };
  }
  if (onlyA.length > 0 || onlyB.length > 0) {
    const parts = [
      onlyA.length ? `only ${a.name} has ${onlyA.join(", ")}` : "",
      onlyB.length ? `only ${b.name} has ${onlyB.join(", ")}` : "",
    ].filter(Boolean);
    const shared = a.set.dimensions.filter((d) => b.set.dimensions.includes(d));
    throw usageError(
      `Different dimension sets: ${parts.join("; ")}` +
        (shared.length ? ` (pass --dimensions ${shared.join(",")} to use the shared ones)` : ""),
    );
  }
  return { set: a.set, note: null };
}

/**
 * The judgment schema on a set: the kit's `Judgment` for the default set, else the same
 * record whose `scores` are exactly the set's dimensions on its scale.
 */
export function judgmentSchema(set: DimensionSet): typeof Judgment {
  if (isDefaultSet(set)) return Judgment;
  return z.object({
    item_id: Id,
    judge_model: z.string().min(1),
    prompt_sha256: z.string().regex(/^[0-9a-f]{64}$/, "expected a sha256 hex digest"),
    scores: scoresSchema(set).nullable(),
    rationale: z.string(),
    usage: Usage,
    status: z.enum(["ok", "failed"]),
    error: z.string().optional(),
    flags: z.array(z.string()).optional(),
  }).superRefine((v, ctx) => {
    if (v.status === "ok" && v.scores === null) {
      ctx.addIssue({ code: "custom", path: ["scores"], message: 'required when status is "ok"' });
    }
    if (v.status === "failed" && (!v.error || v.scores !== null)) {
      ctx.addIssue({
        code: "custom",
        path: ["error"],
        message: "failed judgments need an error and null scores",
      });
    }
  }) as unknown as typeof Judgment;
}

/**
 * The regression-case schema on a set: the kit's `RegressionCase` for the default set,
 * else the same record whose `min_scores` name only the set's dimensions, on its scale.
 *
 * @example
 * ```ts
 * import { regressionCaseSchema } from "./dimensions.ts";
 * const schema = regressionCaseSchema({ dimensions: ["faithfulness"], scale: { min: 1, max: 10 } });
 * const c = { id: "case-1", query: "q", expected_behavior: "e", added_on: "2026-06-04", source: "INC-1" };
 * schema.parse({ ...c, min_scores: { faithfulness: 7 } });
 * if (schema.safeParse({ ...c, min_scores: { correctness: 3 } }).success) throw new Error("not in the set");
 * if (schema.safeParse({ ...c, min_scores: { faithfulness: 11 } }).success) throw new Error("off the scale");
 * ```
 */
export function regressionCaseSchema(set: DimensionSet): typeof RegressionCase {
  if (isDefaultSet(set)) return RegressionCase;
  return regressionCaseWith(minScoresOn(set.dimensions, scoreSchema(set.scale)));
}
