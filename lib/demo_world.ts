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
} from "./schemas.ts";

/** The folder of the bundled demo world, relative to the working directory when under it. */
export const DEMO_DIR: string = relativeToCwd(new URL("../data/demo", import.meta.url).pathname);

function relativeToCwd(path: string): string {
  const cwd = Deno.cwd();
  return path.startsWith(cwd + "/") ? path.slice(cwd.length + 1) : path;
}

/** One planted PII occurrence of the demo world (the anonymiser's ground truth). */
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

/** Paths of the demo world's files under `dir`. */
export function demoPaths(dir: string = DEMO_DIR) {
  return {
    logs: `${dir}/logs.jsonl`,
    evalItems: `${dir}/eval_queries.jsonl`,
    /** Prod answers with reference facts, for the item-level validity check. */
    feedbackItems: `${dir}/feedback_items.jsonl`,
    releases: `${dir}/releases.csv`,
    responses: (release: string) => `${dir}/responses/${release}.jsonl`,
    ratings: [`${dir}/ratings/ana.csv`, `${dir}/ratings/ben.csv`],
    cases: `${dir}/regression_cases.jsonl`,
    pii: `${dir}/pii_truth.jsonl`,
  };
}

/**
 * Read and validate the whole demo world.
 *
 * @param dir The world's folder. @default the bundled data/demo
 * @throws {TypeError} or {SyntaxError} naming file, line and field when a file is bad.
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

/** Summarise a demo world (pure: counts, date range, topic mix). */
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
