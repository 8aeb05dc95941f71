/**
 * `evalkit review export` and `evalkit review import`: blind rating sheets
 * for a judge run, and their validated return.
 *
 * @module
 */
import { usageError } from "../_errors.ts";
import { exportReview } from "../review/export.ts";
import { importRatings } from "../review/import.ts";
import { type Command, positiveInt, requireString } from "./_command.ts";

function seedValue(raw: string): string | number {
  return /^-?\d{1,15}$/.test(raw.trim()) ? Number(raw) : raw;
}

/** `evalkit review export`: blind per-rater sheets of a judge run's items. */
export const reviewExport: Command = {
  name: "review export",
  summary: "Blind human-rating sheets for a judged run",
  usage: "review export --run DIR --n N [--raters a,b] [--seed S] --out DIR",
  writes: true,
  flags: {
    run: { type: "string", value: "DIR", description: "A judge-run artifact (runs/judge-<id>)" },
    n: {
      type: "string",
      value: "N",
      description: "Items to rate, stratified by stratum and judge score",
      default: "50",
    },
    raters: {
      type: "string",
      value: "a,b",
      description:
        "Rater names, comma-separated: one blind sheet each (every rater rates every item)",
      default: "a,b",
    },
    seed: {
      type: "string",
      value: "S",
      description: "Seed of the selection and of each rater's order (same seed, same sheets)",
      default: "0",
    },
  },
  async run(ctx) {
    const run = requireString(ctx, "run", reviewExport);
    const raters = requireString(ctx, "raters", reviewExport).split(",").map((r) => r.trim())
      .filter((r) => r !== "");
    const n = positiveInt(ctx, "n", reviewExport);
    const result = await exportReview(run, {
      n,
      raters,
      seed: seedValue(ctx.values.seed as string),
      out: ctx.values.out as string,
      reporter: ctx.reporter,
    });
    const s = result.selection;
    ctx.reporter.info(
      `review    ${s.n.chosen} of ${s.n.available} judged items for ${raters.join(", ")}: ${
        Object.entries(s.strata).map(([k, v]) => `${k} ${v.chosen}`).join(", ")
      }; judge-score bands ${
        Object.entries(result.summary.bands as Record<string, { chosen: number }>)
          .map(([b, v]) => `${b} ${v.chosen}`).join(", ")
      }`,
    );
    for (const [rater, sheet] of Object.entries(result.sheets)) {
      ctx.reporter.info(`          ${rater}: ${sheet}`);
    }
    ctx.reporter.info(`artifact  ${result.artifact}${result.created ? "" : " (identical, kept)"}`);
    return { summary: result.summary };
  },
};

/** `evalkit review import`: validate filled sheets into a ratings artifact. */
export const reviewImport: Command = {
  name: "review import",
  summary: "Validate and import filled rating sheets",
  usage: "review import (--review DIR | --run DIR) [--date D] F... --out DIR",
  positionals: "F...",
  writes: true,
  flags: {
    review: {
      type: "string",
      value: "DIR",
      description:
        "The review export the sheets came from (its items and raters are the known ones)",
    },
    run: {
      type: "string",
      value: "DIR",
      description: "Or the judge run (its judged items are the known ones)",
    },
    date: {
      type: "string",
      value: "D",
      description:
        "The day the ratings were made, YYYY-MM-DD (orders the agreement history; default: today)",
    },
  },
  async run(ctx) {
    if (ctx.positionals.length === 0) {
      throw usageError(`No rating sheets given\nusage: evalkit ${reviewImport.usage}`);
    }
    const result = await importRatings(ctx.positionals, {
      review: ctx.values.review as string | undefined,
      run: ctx.values.run as string | undefined,
      date: ctx.values.date as string | undefined,
      out: ctx.values.out as string,
      reporter: ctx.reporter,
    });
    const s = result.summary;
    ctx.reporter.info(
      `import    ${s.ratings} ratings of ${s.items} items (${s.overlap} rated by 2+): ${
        Object.entries(s.raters as Record<string, { rated: number }>)
          .map(([r, v]) => `${r} ${v.rated}`).join(", ")
      }; ${s.skipped} unrated rows skipped`,
    );
    ctx.reporter.info(`artifact  ${result.artifact}${result.created ? "" : " (identical, kept)"}`);
    return { summary: s };
  },
};
