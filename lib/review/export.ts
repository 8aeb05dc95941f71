/**
 * Blind human-review sheets for a judge run: a `review-<id>/` artifact with
 * one CSV per rater (`ratings_<rater>.csv`) and `instructions.md`.
 *
 * A sheet is a SPEC §4 rating CSV with its score and notes cells empty, plus
 * three columns the rater reads and import ignores:
 *
 * `item_id,rater,correctness,relevance,clarity,calibration,length,notes,query,reference,response`
 *
 * - `query`: the whole conversation, one turn per paragraph (`user: …`, `assistant: …`);
 * - `reference`: the item's reference facts, one per line (empty when it has none);
 * - `response`: the answer under review.
 *
 * Blind: no judge score, rationale, band or judge model is in a sheet, and each rater
 * gets their own seeded order. The manifest records the seed, the chosen items and the
 * per-stratum and per-band counts (not which item fell in which band). Cells that a
 * spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) get
 * a leading `'`; those are only the read-only columns, which import ignores.
 *
 * @module
 */
import { metaOf } from "../artifact_kinds.ts";
import { usageError } from "../_errors.ts";
import { displayTurns } from "../messages.ts";
import { type ArtifactResult, writeArtifact } from "../artifacts.ts";
import { toCsv } from "../io/write.ts";
import type { Reporter } from "../reporter.ts";
import type { EvalItem } from "../schemas.ts";
import {
  DEFAULT_DIMENSION_SET,
  dimensionMeta,
  type DimensionSet,
  dimensionSetOf,
  isDefaultSet,
  type Scale,
} from "../dimensions.ts";
import type { RubricDimension } from "../rubric.ts";
import { RATING_COLUMNS } from "./ratings.ts";
import { raterOrder, type ReviewSelection, SCORE_BANDS, type ScoreBand } from "./select.ts";
import { chooseForReview } from "./_choose.ts";
import { anonymizedRunItem, openJudgeRun, readRunItems, type RunItem } from "./source.ts";

/**
 * The columns of a review sheet: the rating columns, then what the rater reads.
 *
 * @example
 * ```ts
 * import { SHEET_COLUMNS } from "./export.ts";
 * if (SHEET_COLUMNS[0] !== "item_id" || !SHEET_COLUMNS.includes("response")) throw new Error();
 * ```
 */
export const SHEET_COLUMNS = [...RATING_COLUMNS, "query", "reference", "response"] as const;

/** The columns of a sheet on a dimension set: {@link SHEET_COLUMNS} with the set's dimensions. */
export function sheetColumns(set: DimensionSet): string[] {
  return ["item_id", "rater", ...set.dimensions, "notes", "query", "reference", "response"];
}

/** A rater name: letters, digits, `_`, `-` and `.`, starting with a letter or digit. */
export const RATER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Options for {@link exportReview}. */
export interface ExportReviewOptions {
  /** Items to review. @default 50 */
  n?: number;
  /** The raters; each gets a sheet of every chosen item. */
  raters: readonly string[];
  /** The seed of the selection and of each rater's order. @default 0 */
  seed?: string | number;
  /** Where the artifact goes. @default "runs" */
  out?: string;
  /** The clock for the manifest. @default () => new Date() */
  now?: () => Date;
  /** Warnings (fewer items than asked) go here. @default none */
  reporter?: Reporter;
}

/** What {@link exportReview} wrote. */
export interface ReviewExport {
  artifact: string;
  created: boolean;
  selection: ReviewSelection;
  /** Sheet path per rater. */
  sheets: Record<string, string>;
  /** The `--json` summary of `review export`. */
  summary: Record<string, unknown>;
  result: ArtifactResult;
}

/**
 * A conversation as plain text: the query, or every turn as `role: content` paragraphs.
 *
 * @example
 * ```ts
 * import { renderConversation } from "./export.ts";
 * const text = renderConversation({ messages: [{ role: "user", content: "hi" }, { role: "assistant", content: "hello" },
 *   { role: "user", content: [{ type: "text", text: "and this?" }, { type: "image_url", image_url: { url: "x" } }] }] });
 * if (text !== "user: hi\n\nassistant: hello\n\nuser: and this? [image]") throw new Error(text);
 * ```
 */
export function renderConversation(item: Pick<EvalItem, "query" | "messages">): string {
  if (item.messages && item.messages.length > 0) {
    return displayTurns(item).map((t) => `${t.role}: ${t.text}`).join("\n\n");
  }
  return item.query ?? "";
}

/** A read-only cell defused against spreadsheet formula injection. */
function defuse(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * One rater's blind sheet as CSV text, in that rater's seeded order; the
 * conversation and response are anonymised as the eval set is ({@link anonymizedRunItem}).
 *
 * @param items The chosen items with the responses under review.
 * @param rater The rater's name (filled into the `rater` column).
 * @param seed The seed of the order.
 *
 * @example
 * ```ts
 * import { reviewSheet } from "./export.ts";
 * const csv = reviewSheet([{ item: { id: "q1", query: "=1+1?", stratum: "billing", source_id: "l1" },
 *   response: "Two.", model: null }], "ana", 1);
 * if (!csv.startsWith("item_id,rater,correctness") || !csv.includes("q1,ana,,,,,,,'=1+1?")) {
 *   throw new Error(csv);
 * }
 * ```
 */
export function reviewSheet(
  items: readonly RunItem[],
  rater: string,
  seed: string | number,
  set: DimensionSet = DEFAULT_DIMENSION_SET,
): string {
  const shown = items.map((i) => ({ item_id: String(i.item.id), i: anonymizedRunItem(i) }));
  const rows = raterOrder(shown, rater, seed)
    .map(({ item_id, i }) => ({
      item_id,
      rater,
      query: defuse(renderConversation(i.item)),
      reference: defuse((i.item.reference ?? []).join("\n")),
      response: defuse(i.response ?? ""),
    }));
  return toCsv(rows, sheetColumns(set));
}

/**
 * The instructions that go beside the sheets.
 *
 * @example
 * ```ts
 * import { reviewInstructions } from "./export.ts";
 * if (!reviewInstructions(["ana", "ben"], 50).includes("ratings_ana.csv")) throw new Error();
 * ```
 */
export function reviewInstructions(
  raters: readonly string[],
  n: number,
  rubric?: { set: DimensionSet; declared: readonly RubricDimension[] | null },
): string {
  if (rubric && !isDefaultSet(rubric.set)) return rubricInstructions(raters, n, rubric);
  return `# Rating instructions

You rate ${n} answers that an AI support assistant gave to real (anonymised) users.
Your sheet is \`ratings_<your name>.csv\` (${raters.map((r) => `\`ratings_${r}.csv\``).join(", ")}).
Work on a copy; do not look at other raters' sheets or at any judge output.

For every row, read \`query\` (the whole conversation; the last user turn is the question),
\`reference\` (facts a correct answer states, when there are any) and \`response\`, then give
each of the five dimensions an integer from 1 to 5, each on its own:

- **correctness**: are the facts and instructions right? 5 all right, 3 core right but a wrong
  or missing detail, 1 the main claim is wrong.
- **relevance**: does it answer what was asked? 5 exactly, 3 partly or with off-topic material,
  1 not at all.
- **clarity**: can the user follow it and act? 5 ordered steps, short sentences; 3 with effort;
  1 hard to follow.
- **calibration**: does its confidence match how reliable it is? 5 confident where right and
  hedged where unsure; 3 somewhat off; 1 certain about something wrong.
- **length**: 5 is the ideal length for this question (longer is not better); 3 noticeably
  padded or too short; 1 far off.

\`notes\` is free text. Leave all five scores of a row empty to skip an item; do not edit
\`item_id\` or \`rater\`, and do not add rows. Return the sheet; \`evalkit review import\` checks it.
`;
}

/** The instructions for a rubric of the team's own: its dimensions, questions, anchors and scale. */
function rubricInstructions(
  raters: readonly string[],
  n: number,
  rubric: { set: DimensionSet; declared: readonly RubricDimension[] | null },
): string {
  const { set, declared } = rubric;
  const byName = new Map((declared ?? []).map((d) => [d.name, d]));
  const lines = set.dimensions.map((name) => {
    const d = byName.get(name);
    const anchors = d
      ? Object.entries(d.anchors).sort(([a], [b]) => Number(b) - Number(a))
        .map(([v, text]) => `${v} ${text}`).join("; ")
      : "";
    const note = d?.note ? ` (${d.note})` : "";
    return `- **${name}**${d ? `: ${d.question}${note}` : ""}${anchors ? ` ${anchors}` : ""}`;
  });
  return `# Rating instructions

You rate ${n} answers that an AI assistant gave to real (anonymised) users.
Your sheet is \`ratings_<your name>.csv\` (${raters.map((r) => `\`ratings_${r}.csv\``).join(", ")}).
Work on a copy; do not look at other raters' sheets or at any judge output.

For every row, read \`query\` (the whole conversation; the last user turn is the question),
\`reference\` (facts a correct answer states, when there are any) and \`response\`, then give
each of the ${set.dimensions.length} dimensions an integer from ${set.scale.min} to ${set.scale.max}, each on its own:

${lines.join("\n")}

\`notes\` is free text. Leave every score of a row empty to skip an item; do not edit
\`item_id\` or \`rater\`, and do not add rows. Return the sheet; \`evalkit review import\` checks it.
`;
}

/** Refuse a bad `--n`, no raters, a bad rater name or a rater listed twice (usage errors). */
function checkExportUsage(n: number, raters: readonly string[]): void {
  if (!Number.isInteger(n) || n < 1) {
    throw usageError(`Invalid --n "${n}": expected a positive integer`);
  }
  if (raters.length === 0) throw usageError("No raters: pass --raters a,b");
  for (const r of raters) {
    if (!RATER_NAME.test(r)) {
      throw usageError(
        `Invalid rater name "${r}": use letters, digits, "_", "-" or "." (it names the sheet file)`,
      );
    }
  }
  const repeated = raters.find((r, i) => raters.indexOf(r) !== i);
  if (repeated) throw usageError(`Rater "${repeated}" is listed twice`);
}

/**
 * Items available and chosen per judge-score band, summed over every stratum: what
 * the manifest records instead of which item fell in which band.
 *
 * @example
 * ```ts
 * import { bandTotals } from "./export.ts";
 * import { selectForReview } from "./select.ts";
 * const scores = (s: number) => ({ correctness: s, relevance: s, clarity: s, calibration: s, length: s });
 * const selection = selectForReview([
 *   { item_id: "a", stratum: "x", scores: scores(1) },
 *   { item_id: "b", stratum: "y", scores: scores(5) },
 *   { item_id: "c", stratum: "y", scores: scores(5) },
 * ], 3, { seed: 0 });
 * const bands = bandTotals(selection);
 * if (bands.low.available !== 1 || bands.high.chosen !== 2 || bands.mid.available !== 0) throw new Error();
 * ```
 */
export function bandTotals(
  selection: ReviewSelection,
): Record<ScoreBand, { available: number; chosen: number }> {
  const bands = Object.fromEntries(
    SCORE_BANDS.map((b) => [b, { available: 0, chosen: 0 }]),
  ) as Record<ScoreBand, { available: number; chosen: number }>;
  for (const cell of Object.values(selection.cells)) {
    for (const b of SCORE_BANDS) {
      bands[b].available += cell[b].available;
      bands[b].chosen += cell[b].chosen;
    }
  }
  return bands;
}

/** The artifact's files: one blind sheet per rater, and the instructions. */
function reviewFiles(
  chosen: readonly RunItem[],
  raters: readonly string[],
  seed: string | number,
  rubric: { set: DimensionSet; declared: readonly RubricDimension[] | null },
): Record<string, string> {
  const files: Record<string, string> = {};
  for (const rater of raters) {
    files[`ratings_${rater}.csv`] = reviewSheet(chosen, rater, seed, rubric.set);
  }
  files["instructions.md"] = reviewInstructions(raters, chosen.length, rubric);
  return files;
}

/** The manifest's account of the selection: the rule, the items and the counts. */
function selectionMeta(
  selection: ReviewSelection,
  bands: ReturnType<typeof bandTotals>,
  scale: Scale,
): Record<string, unknown> {
  const quarter = (scale.max - scale.min) / 4;
  const [low, high] = [Math.floor(scale.min + quarter), Math.ceil(scale.max - quarter)];
  return {
    rule:
      "strata proportional to the run (largest remainder); within a stratum, judge-score bands " +
      `low (any score <= ${low}) / mid / high (all >= ${high}) as equal as availability allows; ` +
      "items in sha256(seed, item_id) order",
    items: selection.items.map((s) => ({ item_id: s.item_id, stratum: s.stratum })),
    strata: selection.strata,
    bands,
    n: selection.n,
  };
}

/**
 * Choose items from a judge run and write one blind rating sheet per rater.
 *
 * @param runDir A judge-run artifact folder.
 * @param options How many items, which raters, the seed, where to write.
 * @returns The artifact, the selection and the sheets.
 * @throws {RangeError} Bad usage: no or bad rater names, the regression set (held out),
 * not a judge run, no item judged ok.
 * @throws {TypeError} When the run's eval set or responses are missing or changed.
 *
 * @example
 * ```ts
 * import { runJudge } from "../judge/run.ts";
 * import { demoPaths } from "../demo_world.ts";
 * const out = await Deno.makeTempDir();
 * const paths = demoPaths();
 * const judged = await runJudge(paths.evalItems, { judge: "heuristic", responses: paths.responses("r10"), out });
 * import { exportReview } from "./export.ts";
 * const review = await exportReview(judged.artifact, { n: 10, raters: ["ana", "ben"], out });
 * if (review.selection.items.length !== 10) throw new Error();
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export async function exportReview(
  runDir: string,
  options: ExportReviewOptions,
): Promise<ReviewExport> {
  const n = options.n ?? 50;
  const seed = options.seed ?? 0;
  const raters = [...options.raters];
  checkExportUsage(n, raters);

  const run = await openJudgeRun(runDir);
  const { items, files } = await readRunItems(run);
  const set = dimensionSetOf(run.manifest);
  const selection = chooseForReview(runDir, { judgments: run.judgments, items }, {
    n,
    seed,
    scale: set.scale,
    placed: "in the sheets",
    reporter: options.reporter,
  });
  const chosen = selection.items.map((s) => items.get(s.item_id)!);
  const meta = metaOf(run.manifest, "judge", run.dir);
  const declared = (run.manifest.meta as { rubric?: RubricDimension[] }).rubric ?? null;
  const sheetFiles = reviewFiles(chosen, raters, seed, { set, declared });
  const bands = bandTotals(selection);
  const result = await writeArtifact({
    kind: "review",
    out: options.out,
    command: "review export",
    params: { n, raters, seed, judge_run: run.manifest.id },
    seed: typeof seed === "number" ? seed : String(seed),
    inputs: [
      `${runDir.replace(/\/+$/, "")}/judgments.jsonl`,
      files.evalset,
      ...(files.responses ? [files.responses] : []),
    ],
    files: sheetFiles,
    now: options.now,
    meta: {
      run: runDir,
      judge_run: run.manifest.id,
      judge_model: meta.judge_model ?? null,
      prompt_sha256: meta.prompt_sha256 ?? null,
      raters,
      selection: selectionMeta(selection, bands, set.scale),
      ...(isDefaultSet(set) ? {} : dimensionMeta(set)),
    },
  });
  const sheets = Object.fromEntries(raters.map((r) => [r, `${result.dir}/ratings_${r}.csv`]));
  return {
    artifact: result.dir,
    created: result.created,
    selection,
    sheets,
    result,
    summary: {
      artifact: result.dir,
      items: selection.n.chosen,
      raters,
      sheets,
      seed,
      strata: selection.strata,
      bands,
      judge_run: runDir,
    },
  };
}
