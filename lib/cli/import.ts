/**
 * `evalkit import ratings` and `evalkit import judgments`: scores made
 * elsewhere into a ratings artifact or a judgment run, on their own dimensions.
 *
 * @module
 */
import { usageError } from "../_errors.ts";
import {
  DEFAULT_DIMENSION_SET,
  type DimensionSet,
  parseDimensionList,
  parseScale,
} from "../dimensions.ts";
import type { ImportOptions } from "../import/import.ts";
import { type Command, type CommandContext, type Flag, parseMap, strings } from "./_command.ts";

/** The flags of a wide JSONL file (a list of each rater's scores per row), both imports. */
const WIDE_JSONL = {
  "annotations-field": {
    type: "string",
    value: "F",
    description: "wide JSONL: the field listing each rater's scores",
    default: "annotations",
  },
  raters: {
    type: "string",
    value: "a,b",
    description: "wide JSONL: names for the raters of that list, in order (default ann1, ann2, …)",
  },
} as const;

const SHARED: Record<string, Flag> = {
  dimensions: {
    type: "string",
    value: "a,b",
    description: "The dimensions, snake_case, comma-separated (default: the rubric's)",
  },
  rubric: {
    type: "string",
    value: "FILE",
    description: "A rubric whose front matter declares the dimensions and scale",
  },
  scale: {
    type: "string",
    value: "S",
    description: "The scores' scale: 1-5, any integer range (1-10, 0-3) or binary",
  },
  map: {
    type: "string",
    multiple: true,
    value: "field=column",
    description: "Read a field from a differently named column (repeatable)",
  },
  "item-column": {
    type: "string",
    value: "C",
    description: "The column naming the item; several (a,b) are joined with -",
    default: "item_id",
  },
  "only-raters": {
    type: "string",
    value: "a,b",
    description: "Keep only these raters' scores (judgments: the one rater of a wide file)",
  },
  items: {
    type: "string",
    value: "FILE",
    description: "The known items (an eval set, or one id a line): any other id is an error",
  },
};

async function setFrom(ctx: CommandContext): Promise<DimensionSet> {
  const rubric = ctx.values.rubric as string | undefined;
  let set: DimensionSet = DEFAULT_DIMENSION_SET;
  if (rubric !== undefined) {
    const { loadRubricDimensions } = await import("../rubric.ts");
    set = await loadRubricDimensions(rubric);
  }
  const dims = ctx.values.dimensions as string | undefined;
  const scale = ctx.values.scale as string | undefined;
  return {
    dimensions: dims !== undefined ? parseDimensionList(dims) : set.dimensions,
    scale: scale !== undefined ? parseScale(scale) : set.scale,
  };
}

async function optionsFrom(ctx: CommandContext, command: Command): Promise<ImportOptions> {
  if (ctx.positionals.length !== 1) {
    throw usageError(`Pass one file to import\nusage: evalkit ${command.usage}`);
  }
  const layout = (ctx.values.layout as string | undefined) ?? "long";
  if (layout !== "long" && layout !== "wide") {
    throw usageError(`Invalid --layout "${layout}": expected long or wide`);
  }
  const itemColumns = (ctx.values["item-column"] as string).split(",").map((s) => s.trim())
    .filter((s) => s !== "");
  const raters = ctx.values.raters as string | undefined;
  return {
    set: await setFrom(ctx),
    layout,
    map: parseMap(strings(ctx, "map")),
    itemColumns,
    items: ctx.values.items as string | undefined,
    rubric: ctx.values.rubric as string | undefined,
    onlyRaters: (ctx.values["only-raters"] as string | undefined)?.split(",").map((s) => s.trim())
      .filter((s) => s !== ""),
    annotationsField: ctx.values["annotations-field"] as string | undefined,
    raters: raters?.split(",").map((s) => s.trim()).filter((s) => s !== ""),
    out: ctx.values.out as string,
  };
}

/** `evalkit import ratings`. */
export const importRatings: Command = {
  name: "import ratings",
  summary: "Import per-rater human ratings made elsewhere (CSV or JSONL)",
  usage: "import ratings FILE [--dimensions a,b | --rubric FILE] [--scale 1-5] " +
    "[--layout long|wide] [--rater-column C] [--item-column C] [--map f=c] [--items F] --out DIR",
  positionals: "FILE",
  writes: true,
  flags: {
    ...SHARED,
    layout: {
      type: "string",
      value: "L",
      description: "long: a row per item and rater; wide: a row per item with every rater's scores",
      default: "long",
    },
    "rater-column": {
      type: "string",
      value: "C",
      description: "long: the column naming the rater",
      default: "rater",
    },
    ...WIDE_JSONL,
    date: { type: "string", value: "D", description: "The day the ratings were made, YYYY-MM-DD" },
    "alpha-level": {
      type: "string",
      value: "L",
      description:
        "Krippendorff level of the summary's alpha: nominal, ordinal or interval (default: from the scale)",
    },
  },
  async run(ctx) {
    const options = await optionsFrom(ctx, importRatings);
    const level = ctx.values["alpha-level"] as string | undefined;
    if (level !== undefined && !["nominal", "ordinal", "interval"].includes(level)) {
      throw usageError(`Invalid --alpha-level "${level}": expected nominal, ordinal or interval`);
    }
    const { importRatingsFile } = await import("../import/import.ts");
    const result = await importRatingsFile(ctx.positionals[0], {
      ...options,
      raterColumn: ctx.values["rater-column"] as string,
      date: ctx.values.date as string | undefined,
      alphaLevel: level as "nominal" | "ordinal" | "interval" | undefined,
    });
    const s = result.summary;
    const r = ctx.reporter;
    r.info(
      `ratings   ${s.ratings} ratings of ${s.items} items by ${
        Object.keys(s.raters as object).length
      } raters (${s.overlap} items rated twice or more); ${
        (s.dimensions as string[]).join(", ")
      } on ${s.scale}`,
    );
    for (
      const [d, a] of Object.entries(
        s.alpha as Record<string, { alpha: number | null; level: string }>,
      )
    ) {
      r.info(
        `  ${d.padEnd(14)} alpha (${a.level}) ${a.alpha === null ? "n/a" : a.alpha.toFixed(3)}`,
      );
    }
    r.info(`artifact  ${result.artifact}${result.created ? "" : " (identical, kept)"}`);
    return { summary: s };
  },
};

/** `evalkit import judgments`. */
export const importJudgments: Command = {
  name: "import judgments",
  summary: "Import a judge's scores made elsewhere as a judgment run",
  usage: "import judgments FILE --judge-model M [--dimensions a,b | --rubric FILE] [--scale 1-5] " +
    "[--item-column C] [--map f=c] [--items F] --out DIR",
  positionals: "FILE",
  writes: true,
  flags: {
    ...SHARED,
    "judge-model": { type: "string", value: "M", description: "The judge that made the scores" },
    layout: {
      type: "string",
      value: "L",
      description:
        "long: a row per item; wide: a ratings file, with --only-raters naming the judge",
      default: "long",
    },
    ...WIDE_JSONL,
  },
  async run(ctx) {
    const options = await optionsFrom(ctx, importJudgments);
    const { importJudgmentsFile } = await import("../import/import.ts");
    const result = await importJudgmentsFile(ctx.positionals[0], {
      ...options,
      judgeModel: (ctx.values["judge-model"] as string | undefined) ?? "",
    });
    const s = result.summary;
    ctx.reporter.info(
      `judgments ${s.judgments} by ${s.judge_model}; ${
        (s.dimensions as string[]).join(", ")
      } on ${s.scale}`,
    );
    ctx.reporter.info(`artifact  ${result.artifact}${result.created ? "" : " (identical, kept)"}`);
    return { summary: s };
  },
};
