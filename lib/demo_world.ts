/**
 * Load the bundled demo world (data/demo/): prod logs, the eval queries the
 * releases answered, each release's responses, the release registry, two
 * raters' sheets and the regression cases, every record validated.
 *
 * @module
 */
import { z } from "zod";
import { readRecords } from "./io/read.ts";
import {
  EvalItem,
  HumanRating,
  KINDS,
  ProdLogRecord,
  RegressionCase,
  Release,
  Response,
  Scores,
} from "./schemas.ts";

/**
 * The folder of the bundled demo world, relative to the working directory when under it.
 *
 * @example
 * ```ts
 * import { DEMO_DIR } from "./demo_world.ts";
 * if (!(await Deno.stat(`${DEMO_DIR}/logs.jsonl`)).isFile) throw new Error();
 * ```
 */
export const DEMO_DIR: string = relativeToCwd(new URL("../data/demo", import.meta.url).pathname);

/**
 * The demo team's style guide: the ideal answer length per topic it declares
 * (`data/demo_team/length_bands.json`, written by hand; not the demo world's truth).
 */
export const DEMO_LENGTH_BANDS: string = relativeToCwd(
  new URL("../data/demo_team/length_bands.json", import.meta.url).pathname,
);

function relativeToCwd(path: string): string {
  const cwd = Deno.cwd();
  return path.startsWith(cwd + "/") ? path.slice(cwd.length + 1) : path;
}

/**
 * One planted PII occurrence of the demo world (the anonymiser's ground truth).
 *
 * @example
 * ```ts
 * import { PiiTruth } from "./demo_world.ts";
 * PiiTruth.parse({ log_id: "log-1", field: "query", type: "email", value: "a@b.co", start: 0, end: 6 });
 * ```
 */
export const PiiTruth = z.object({
  log_id: z.string(),
  field: z.string(),
  type: z.string(),
  value: z.string(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
});
/** One planted PII occurrence. */
export type PiiTruth = z.infer<typeof PiiTruth>;

/**
 * One line of a demo truth file (`truth/<release>.jsonl`): an item's true scores.
 *
 * @example
 * ```ts
 * import { TruthScores } from "./demo_world.ts";
 * const line = { item_id: "q1", scores: { correctness: 4, relevance: 5, clarity: 4, calibration: 3, length: 5 } };
 * TruthScores.parse(line);
 * ```
 */
export const TruthScores = z.object({ item_id: z.string(), scores: Scores });
/** One line of a demo truth file. */
export type TruthScores = z.infer<typeof TruthScores>;

/**
 * Read a demo truth file (`data/demo/truth/<release>.jsonl`, or `truth/cases/…`): each
 * item's true scores, by item id, every line validated.
 *
 * @param file The truth file.
 * @returns Item id → its true scores, in file order.
 * @throws {TypeError} or {SyntaxError} naming file, line and field when a line is bad.
 *
 * @example
 * ```ts
 * import { demoPaths, readTruthScores } from "./demo_world.ts";
 * const truth = await readTruthScores(demoPaths().truth("r01"));
 * if (truth.size !== 300) throw new Error(String(truth.size));
 * ```
 */
export async function readTruthScores(file: string): Promise<Map<string, Scores>> {
  const lines = await readRecords(file, TruthScores, { key: ["item_id"] });
  return new Map(lines.map((t) => [t.item_id, t.scores]));
}

/** The demo world, every file read and validated. */
export interface DemoWorld {
  dir: string;
  logs: ProdLogRecord[];
  evalItems: EvalItem[];
  releases: Release[];
  /** Responses per release name. */
  responses: Map<string, Response[]>;
  ratings: HumanRating[];
  cases: RegressionCase[];
  pii: PiiTruth[];
  /** Every file read, for manifests. */
  files: string[];
}

/**
 * Paths of the demo world's files under `dir`.
 *
 * @example
 * ```ts
 * import { demoPaths } from "./demo_world.ts";
 * const p = demoPaths("data/demo");
 * if (p.responses("r09") !== "data/demo/responses/r09.jsonl") throw new Error();
 * ```
 */
export function demoPaths(dir: string = DEMO_DIR) {
  return {
    logs: `${dir}/logs.jsonl`,
    evalItems: `${dir}/eval_queries.jsonl`,
    /** Prod answers with reference facts, for the item-level validity check. */
    feedbackItems: `${dir}/feedback_items.jsonl`,
    releases: `${dir}/releases.csv`,
    responses: (release: string) => `${dir}/responses/${release}.jsonl`,
    /** The true scores of a release's responses (the generator's ground truth). */
    truth: (release: string) => `${dir}/truth/${release}.jsonl`,
    /** The true scores of a release's answers to the regression cases. */
    caseTruth: (release: string) => `${dir}/truth/cases/${release}.jsonl`,
    ratings: [`${dir}/ratings/ana.csv`, `${dir}/ratings/ben.csv`],
    cases: `${dir}/regression_cases.jsonl`,
    /** A release's recorded answers to the regression cases. */
    caseResponses: (release: string) => `${dir}/case_responses/${release}.jsonl`,
    pii: `${dir}/pii_truth.jsonl`,
    /** The demo team's declared ideal lengths: the heuristic judge's bands (not the world's truth). */
    lengthBands: DEMO_LENGTH_BANDS,
  };
}

/**
 * Read and validate the whole demo world.
 *
 * @param dir The world's folder. @default the bundled data/demo
 * @throws {TypeError} or {SyntaxError} naming file, line and field when a file is bad.
 *
 * @example
 * ```ts
 * import { loadDemoWorld } from "./demo_world.ts";
 * const world = await loadDemoWorld();
 * if (world.releases.length !== 10 || world.cases.length !== 30) throw new Error();
 * ```
 */
export async function loadDemoWorld(dir: string = DEMO_DIR): Promise<DemoWorld> {
  const p = demoPaths(dir);
  const logs = await readRecords(p.logs, ProdLogRecord, { key: KINDS.logs.key });
  const evalItems = await readRecords(p.evalItems, EvalItem, { key: KINDS.evalset.key });
  const releases = await readRecords(p.releases, Release, { key: KINDS.releases.key });
  const responses = new Map<string, Response[]>();
  const files = [p.logs, p.evalItems, p.releases];
  for (const r of releases) {
    const file = p.responses(r.release);
    responses.set(r.release, await readRecords(file, Response, { key: KINDS.responses.key }));
    files.push(file);
  }
  const ratings: HumanRating[] = [];
  for (const file of p.ratings) {
    ratings.push(...await readRecords(file, HumanRating, { key: KINDS.ratings.key }));
    files.push(file);
  }
  const cases = await readRecords(p.cases, RegressionCase, { key: KINDS.cases.key });
  const pii = await readRecords(p.pii, PiiTruth);
  files.push(p.cases, p.pii);
  return { dir, logs, evalItems, releases, responses, ratings, cases, pii, files };
}

/** Counts and mixes of a demo world: what `demo` says it loaded. */
export interface WorldSummary {
  logs: number;
  first_ts: string;
  last_ts: string;
  multi_turn: number;
  topics: Record<string, { count: number; share: number }>;
  eval_items: number;
  releases: { release: string; date: string; model: string | null; responses: number }[];
  ratings: Record<string, number>;
  regression_cases: number;
  pii_planted: Record<string, number>;
}

/**
 * Summarise a demo world (pure: counts, date range, topic mix).
 *
 * @example
 * ```ts
 * import { loadDemoWorld, summarizeWorld } from "./demo_world.ts";
 * const s = summarizeWorld(await loadDemoWorld());
 * if (s.logs !== 6024 || s.first_ts > s.last_ts) throw new Error(JSON.stringify(s.logs));
 * ```
 */
export function summarizeWorld(world: DemoWorld): WorldSummary {
  const topics: Record<string, { count: number; share: number }> = {};
  let first = "";
  let last = "";
  let multiTurn = 0;
  for (const log of world.logs) {
    const t = log.topic ?? "(none)";
    topics[t] = { count: (topics[t]?.count ?? 0) + 1, share: 0 };
    if (first === "" || log.ts < first) first = log.ts;
    if (last === "" || log.ts > last) last = log.ts;
    if (log.messages) multiTurn++;
  }
  for (const t of Object.values(topics)) {
    t.share = Math.round((t.count / world.logs.length) * 10000) / 10000;
  }
  const ratings: Record<string, number> = {};
  for (const r of world.ratings) ratings[r.rater] = (ratings[r.rater] ?? 0) + 1;
  const pii: Record<string, number> = {};
  for (const p of world.pii) pii[p.type] = (pii[p.type] ?? 0) + 1;
  return {
    logs: world.logs.length,
    first_ts: first,
    last_ts: last,
    multi_turn: multiTurn,
    topics: Object.fromEntries(Object.entries(topics).sort(([, a], [, b]) => b.count - a.count)),
    eval_items: world.evalItems.length,
    releases: world.releases.map((r) => ({
      release: r.release,
      date: r.date,
      model: r.model ?? null,
      responses: world.responses.get(r.release)?.length ?? 0,
    })),
    ratings,
    regression_cases: world.cases.length,
    pii_planted: Object.fromEntries(Object.entries(pii).sort()),
  };
}
