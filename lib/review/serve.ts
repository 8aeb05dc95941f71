/**
 * `evalkit review serve`: a local web page on which one human rater scores a
 * judge run's items, one at a time, blind to the judge and to other raters.
 *
 * Items: the same stratified, seeded selection as `review export`
 * ({@link selectForReview}) in the same per-rater order ({@link raterOrder}):
 * with the same run, `--n` and `--seed`, the page shows exactly the items of
 * that rater's sheet, in the sheet's order.
 *
 * Ratings file: every save appends one JSON line (a SPEC §4 human rating plus
 * `rated_at`) to `<out>/review-page/judge-<id>/ratings_<rater>.jsonl` (or
 * `--ratings FILE`) and fsyncs it before the page is told it is saved. The file
 * is append-only: an edit appends a newer record, which wins when read
 * ({@link readRatings}), so `review import` and `agreement --ratings` read it
 * as it is. This is, with `regress add`, one of the two writes that do not go
 * through the artifacts module: a person's ratings are appended as they are
 * made and are never rewritten or lost. On start the file is read back (a
 * restarted server resumes at the first unrated item) and locked, so two
 * servers cannot write the same file.
 *
 * Security (the page is reachable by any process on the machine, and by any
 * web page the rater's browser opens):
 * - A random 256-bit token per session, compared in constant time: the page
 *   needs `?token=` in its URL, every API call the `X-Evalkit-Token` header
 *   (which a cross-site form or image cannot send).
 * - DNS rebinding: a request whose `Host` is not the served address (or, on
 *   loopback, `localhost`), or whose `Origin` is another origin, is refused
 *   with 403 before anything else is looked at.
 * - Every piece of content is escaped on the server ({@link reviewPageHtml});
 *   a strict Content-Security-Policy (`default-src 'none'`, script and style
 *   only with a per-response nonce, `connect-src 'self'`) backs it up.
 * - A rating is validated by zod (integers 1–5 on the five dimensions, an item
 *   on this page, the session's rater, no unknown field): anything else gets
 *   400 with the problem, and nothing is written.
 *
 * @module
 */
import { z } from "zod";
import { formatIssueTail, usageError, zodIssues } from "../_errors.ts";
import { loadPrompt } from "../judge/prompt.ts";
import type { Reporter } from "../reporter.ts";
import { HumanRating, Id } from "../schemas.ts";
import {
  type DimensionSet,
  dimensionSetOf,
  isDefaultSet,
  scaleLabels,
  scoreSchema,
  sharedDimensions,
} from "../dimensions.ts";
import type { RubricDimension } from "../rubric.ts";
import { RATER_NAME } from "./export.ts";
import {
  declaredAnchors,
  type DimensionRubric,
  type PageItem,
  reviewPageHtml,
  rubricAnchors,
} from "./page.ts";
import { raterFromFileName } from "./ratings.ts";
import { raterOrder, type ReviewSelection } from "./select.ts";
import { chooseForReview } from "./_choose.ts";
import { openRatingsLog, type RatingsLog } from "./_ratings_log.ts";
import { anonymizedRunItem, openJudgeRun, readRunItems, type RunItem } from "./source.ts";
import { anonymizeText } from "../sample/anonymize.ts";

/** The longest note a rating may carry. */
export const MAX_NOTES = 10_000;
const MAX_BODY = 64 * 1024;
const TOKEN_HEADER = "x-evalkit-token";

/**
 * What the page posts: a human rating whose rater the session fixes.
 *
 * @example
 * ```ts
 * import { RatingSubmission } from "./serve.ts";
 * RatingSubmission.parse({ item_id: "q1", correctness: 4, relevance: 4, clarity: 5, calibration: 3, length: 4 });
 * if (RatingSubmission.safeParse({ item_id: "q1", correctness: 9 }).success) throw new Error();
 * ```
 */
export const RatingSubmission = HumanRating.omit({ rater: true }).extend({
  rater: z.string().optional(),
  notes: z.string().max(MAX_NOTES).nullish(),
}).strict();
/** What the page posts. */
export type RatingSubmission = z.infer<typeof RatingSubmission>;

/**
 * The submission schema on a run's dimension set: {@link RatingSubmission} for the
 * kit's five on 1–5, else the item, optional rater and notes, and exactly the set's
 * dimensions, each an integer on its scale.
 */
export function submissionSchema(set: DimensionSet): typeof RatingSubmission {
  if (isDefaultSet(set)) return RatingSubmission;
  const score = scoreSchema(set.scale);
  return z.strictObject({
    item_id: Id,
    rater: z.string().optional(),
    notes: z.string().max(MAX_NOTES).nullish(),
    ...Object.fromEntries(set.dimensions.map((d) => [d, score])),
  }) as unknown as typeof RatingSubmission;
}

/** One line of the ratings file: a human rating (a score per dimension) and when it was made. */
export type RatingRecord =
  & { item_id: string; rater: string; notes: string | null; rated_at: string }
  & Record<string, string | number | null>;

/** Options for {@link openReviewSession} and {@link serveReview}. */
export interface ReviewSessionOptions {
  /** The rater (letters, digits, `_`, `-`, `.`): fixed for the session, names the file. */
  rater: string;
  /** Items on the page. @default 50 */
  n?: number;
  /** The seed of the selection and the rater's order (as `review export --seed`). @default 0 */
  seed?: string | number;
  /** The ratings file (`.jsonl`). @default `<out>/review-page/judge-<id>/ratings_<rater>.jsonl` */
  ratings?: string;
  /** Where the default ratings file goes. @default "runs" */
  out?: string;
  /** The judge prompt whose anchors the page shows. @default the bundled rubric-v1 */
  prompt?: string;
  /** The clock for `rated_at`. @default () => new Date() */
  now?: () => Date;
  /** Warnings go here. @default none */
  reporter?: Reporter;
}

/** An opened session: the items, the rubric and the ratings file (locked). */
export interface ReviewSession {
  rater: string;
  /** The run's dimensions and scale (its manifest's): what the page rates. */
  set: DimensionSet;
  run: string;
  /** The judge run's artifact id. */
  runId: string;
  /** The items in the rater's order. */
  items: RunItem[];
  selection: ReviewSelection;
  rubric: DimensionRubric[];
  /** The ratings file. */
  ratingsFile: string;
  /** This rater's latest rating per item id (items off the page included). */
  ratings: Map<string, RatingRecord>;
  /** Validate a submission and append it (serialised; fsynced before it resolves). */
  submit(body: unknown): Promise<SubmitResult>;
  /** Items on the page rated so far. */
  rated(): number;
  /** Records appended in this session, and how many of them re-rated an item. */
  saved(): { records: number; updates: number };
  /** Release the file lock (and remove the file if this session created it and saved nothing). */
  close(): Promise<void>;
}

/** The outcome of one submission. */
export type SubmitResult =
  | { ok: true; rating: RatingRecord; updated: boolean; rated: number }
  | { ok: false; error: string };

function checkRater(rater: string): void {
  if (!RATER_NAME.test(rater)) {
    throw usageError(
      `Invalid rater name "${rater}": use letters, digits, "_", "-" or "." (it names the ratings file)`,
    );
  }
}

/**
 * The default ratings file of a rater on a judge run.
 *
 * @example
 * ```ts
 * import { defaultRatingsFile } from "./serve.ts";
 * if (defaultRatingsFile("runs/", "1a2b3c4d5e6f", "ana") !== "runs/review-page/judge-1a2b3c4d5e6f/ratings_ana.jsonl") {
 *   throw new Error();
 * }
 * ```
 */
export function defaultRatingsFile(out: string, runId: string, rater: string): string {
  return `${out.replace(/\/+$/, "")}/review-page/judge-${runId}/ratings_${rater}.jsonl`;
}

/** Refuse a ratings file the page cannot append to, or one named for another rater. */
function checkRatingsPath(path: string, rater: string): void {
  if (!/\.jsonl$/i.test(path)) {
    throw usageError(
      `Invalid --ratings "${path}": the page appends JSON lines, so the file must end in .jsonl`,
    );
  }
  const named = raterFromFileName(path);
  if (named !== null && named !== rater) {
    throw usageError(`The ratings file "${path}" is named for rater "${named}", not "${rater}"`);
  }
}

/** The page a submission is checked against: its rater, its items and the clock. */
interface SubmissionPage {
  rater: string;
  set: DimensionSet;
  onPage: ReadonlySet<string>;
  now: () => Date;
}

/**
 * Validate a submission for a page and make the record to append: the page's rater,
 * notes anonymised (a rater may paste what they saw or knew), `rated_at` from the clock.
 */
function submissionRecord(
  body: unknown,
  page: SubmissionPage,
): { ok: true; record: RatingRecord } | { ok: false; error: string } {
  const parsed = submissionSchema(page.set).safeParse(body);
  if (!parsed.success) {
    return {
      ok: false,
      error: zodIssues(parsed.error, body, "request", 0).map(formatIssueTail).join("; "),
    };
  }
  const s = parsed.data;
  const rater = page.rater;
  if (s.rater !== undefined && s.rater !== rater) {
    return {
      ok: false,
      error: `field "rater": expected "${rater}" (the rater of this page), received ${
        JSON.stringify(s.rater)
      }`,
    };
  }
  const itemId = String(s.item_id);
  if (!page.onPage.has(itemId)) {
    return {
      ok: false,
      error: `field "item_id": unknown item ${
        JSON.stringify(itemId)
      }: not among the items on this page`,
    };
  }
  const scores = s as unknown as Record<string, number>;
  const record: RatingRecord = {
    item_id: itemId,
    rater,
    ...Object.fromEntries(page.set.dimensions.map((d) => [d, scores[d]])),
    notes: s.notes === null || s.notes === undefined ? null : anonymizeText(s.notes).text,
    rated_at: page.now().toISOString(),
  };
  return { ok: true, record };
}

/** Warn about ratings in the file of items not on this page (they are kept). */
function warnOffPage(
  ratings: ReadonlyMap<string, RatingRecord>,
  onPage: ReadonlySet<string>,
  path: string,
  reporter: Reporter | undefined,
): void {
  const off = [...ratings.keys()].filter((id) => !onPage.has(id)).length;
  if (off > 0) {
    reporter?.warn(
      `${off} ratings in "${path}" are of items not on this page (another --n or --seed?): kept`,
    );
  }
}

/**
 * The writing half of a session: submissions checked ({@link submissionRecord}) and
 * appended to the log one at a time, in the order they came, with counts of what
 * was saved. The log's read-back ratings are updated as records are appended.
 */
function sessionWriter(
  log: RatingsLog,
  page: SubmissionPage,
): Pick<ReviewSession, "submit" | "rated" | "saved" | "close"> {
  const ratings = log.ratings;
  let chain: Promise<unknown> = Promise.resolve();
  let closed = false;
  let records = 0;
  let updates = 0;
  const rated = () => [...page.onPage].filter((id) => ratings.has(id)).length;

  async function append(body: unknown): Promise<SubmitResult> {
    if (closed) return { ok: false, error: "the session is closed" };
    const checked = submissionRecord(body, page);
    if (!checked.ok) return checked;
    const record = checked.record;
    try {
      await log.append(record);
    } catch (e) {
      return { ok: false, error: `not saved: ${(e as Error).message}` };
    }
    const itemId = String(record.item_id);
    const updated = ratings.has(itemId);
    ratings.set(itemId, record);
    records++;
    if (updated) updates++;
    return { ok: true, rating: record, updated, rated: rated() };
  }

  return {
    submit(body) {
      const result = chain.then(() => append(body));
      chain = result.catch(() => {});
      return result;
    },
    rated,
    saved: () => ({ records, updates }),
    async close() {
      if (closed) return;
      await chain;
      closed = true;
      await log.close();
    },
  };
}

/**
 * Open a rating session: read the judge run, choose the items as `review export`
 * does, read the rubric, and open, lock and read back the rater's ratings file.
 * Nothing listens yet ({@link serveReview} does that); close the session when done.
 *
 * @param runDir A judge-run artifact folder.
 * @param options The rater, how many items, the seed, the ratings file.
 * @returns The session.
 * @throws {RangeError} Bad usage: a bad rater name or `--n`, the held-out regression set,
 * not a judge run, nothing judged ok, a ratings file not `.jsonl` or named for another
 * rater, or one that another server has open.
 * @throws {TypeError} or {SyntaxError} A bad ratings file (another rater's records, a torn
 * last line), naming file, line and field.
 *
 * @example Submit a rating without a server (what `POST /api/ratings` does)
 * ```ts
 * import { openReviewSession } from "./serve.ts";
 * import { runJudge } from "../judge/run.ts";
 * import { demoPaths } from "../demo_world.ts";
 * const out = await Deno.makeTempDir();
 * const run = await runJudge(demoPaths().evalItems, { judge: "heuristic", responses: demoPaths().responses("r10"), out });
 * const session = await openReviewSession(run.artifact, { rater: "ana", n: 5, out });
 * const item_id = String(session.items[0].item.id);
 * const bad = await session.submit({ item_id, correctness: 9, relevance: 4, clarity: 4, calibration: 4, length: 4 });
 * if (bad.ok || bad.error !== 'field "correctness": expected <= 5, received 9') throw new Error("not refused");
 * const ok = await session.submit({ item_id, correctness: 5, relevance: 4, clarity: 4, calibration: 4, length: 4 });
 * if (!ok.ok || session.rated() !== 1) throw new Error("not saved");
 * await session.close();
 * ```
 */
export async function openReviewSession(
  runDir: string,
  options: ReviewSessionOptions,
): Promise<ReviewSession> {
  const rater = options.rater;
  checkRater(rater);
  const n = options.n ?? 50;
  if (!Number.isInteger(n) || n < 1) {
    throw usageError(`Invalid --n "${n}": expected a positive integer`);
  }
  const seed = options.seed ?? 0;
  const now = options.now ?? (() => new Date());
  const run = await openJudgeRun(runDir);
  const { items: byId } = await readRunItems(run);
  const set = dimensionSetOf(run.manifest);
  const selection = chooseForReview(runDir, { judgments: run.judgments, items: byId }, {
    n,
    seed,
    scale: set.scale,
    placed: "on the page",
    reporter: options.reporter,
  });
  // what the page shows is anonymised as the eval set is
  const items = raterOrder(selection.items, rater, seed).map((s) =>
    anonymizedRunItem(byId.get(s.item_id)!)
  );
  const onPage = new Set(items.map((i) => String(i.item.id)));
  const rubric = await pageRubric(run.manifest, set, options.prompt);

  const path = options.ratings ?? defaultRatingsFile(options.out ?? "runs", run.manifest.id, rater);
  checkRatingsPath(path, rater);
  const log = await openRatingsLog(path, rater, set);
  warnOffPage(log.ratings, onPage, path, options.reporter);
  return {
    rater,
    set,
    run: runDir,
    runId: run.manifest.id,
    items,
    selection,
    rubric,
    ratingsFile: path,
    ratings: log.ratings,
    ...sessionWriter(log, { rater, set, onPage, now }),
  };
}

/**
 * The rubric the page shows for a run: the prompt named (whose dimensions must be the
 * run's), else the declared dimensions the run's manifest records, else the bundled
 * rubric for the kit's five; a run of other dimensions that records no words (imported
 * scores) gets its dimension names and bare scores.
 *
 * @throws {RangeError} A usage error when the named prompt rates other dimensions.
 */
async function pageRubric(
  manifest: { meta: Record<string, unknown> },
  set: DimensionSet,
  promptPath: string | undefined,
): Promise<DimensionRubric[]> {
  const declared = (manifest.meta as { rubric?: RubricDimension[] }).rubric;
  if (promptPath === undefined && declared) return declaredAnchors(declared, set.scale);
  if (promptPath === undefined && !isDefaultSet(set)) {
    return set.dimensions.map((d) => ({
      dimension: d,
      question: "",
      anchors: Object.fromEntries(scaleLabels(set.scale).map((v) => [v, String(v)])),
    }));
  }
  const prompt = await loadPrompt(promptPath);
  sharedDimensions(
    { name: "the judge run", set },
    { name: `the rubric ${prompt.path}`, set: prompt.rubric },
  );
  return rubricAnchors(prompt);
}

/** Compare two strings in time that depends only on their lengths. */
function sameSecret(given: string, expected: string): boolean {
  const a = new TextEncoder().encode(given);
  const b = new TextEncoder().encode(expected);
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= (a[i] ?? 0) ^ b[i];
  return diff === 0;
}

function bareHost(name: string): string {
  return name.toLowerCase().replace(/^\[(.*)\]$/, "$1");
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);
const WILDCARD = new Set(["0.0.0.0", "::"]);

function isIpLiteral(name: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || (name.includes(":") && /^[0-9a-f:.]+$/.test(name));
}

/**
 * Whether a request's `Host` header names the address a server listens on: the
 * bound host and port; on loopback also `localhost`, `127.0.0.1` and `[::1]`; on
 * a wildcard address (`0.0.0.0`, `::`) any IP literal. A domain name that merely
 * resolves to the server (DNS rebinding) is refused.
 *
 * @param host The `Host` header (null when absent: refused).
 * @param served The address the server listens on.
 *
 * @example
 * ```ts
 * import { hostAllowed } from "./serve.ts";
 * const served = { hostname: "127.0.0.1", port: 8123 };
 * if (!hostAllowed("127.0.0.1:8123", served) || !hostAllowed("localhost:8123", served)) throw new Error();
 * if (hostAllowed("attacker.example:8123", served) || hostAllowed("127.0.0.1:9999", served)) throw new Error();
 * ```
 */
export function hostAllowed(
  host: string | null,
  served: { hostname: string; port: number },
): boolean {
  if (!host) return false;
  const m = /^(\[[^\]]+\]|[^:\[\]]+)(?::(\d{1,5}))?$/.exec(host.trim());
  if (!m) return false;
  const name = bareHost(m[1]);
  const port = m[2] === undefined ? 80 : Number(m[2]);
  if (port !== served.port) return false;
  const bound = bareHost(served.hostname);
  if (name === bound) return true;
  if ((LOOPBACK.has(bound) || WILDCARD.has(bound)) && LOOPBACK.has(name)) return true;
  return WILDCARD.has(bound) && isIpLiteral(name);
}

/** Whether an `Origin` header is absent or names this server (http, an allowed host). */
function originAllowed(origin: string | null, served: { hostname: string; port: number }): boolean {
  if (origin === null) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return url.protocol === "http:" && hostAllowed(url.host, served);
}

/**
 * The Content-Security-Policy of the page: nothing but its own nonce'd script and style,
 * requests only to itself, no framing, no form posts, no base URL.
 *
 * @example
 * ```ts
 * import { pageCsp } from "./serve.ts";
 * if (!pageCsp("abc").startsWith("default-src 'none'; script-src 'nonce-abc'; style-src 'nonce-abc'")) throw new Error();
 * ```
 */
export function pageCsp(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

const COMMON_HEADERS = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
};

function randomToken(bytes = 32): string {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...b)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function text(status: number, body: string): Response {
  return new Response(body + "\n", {
    status,
    headers: { ...COMMON_HEADERS, "content-type": "text/plain; charset=utf-8" },
  });
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...COMMON_HEADERS, "content-type": "application/json" },
  });
}

/** Requests refused, by reason. */
export interface RefusedCounts {
  host: number;
  origin: number;
  token: number;
  invalid: number;
}

/** Options for {@link reviewHandler}. */
export interface ReviewHandlerOptions {
  /** The session token. */
  token: string;
  /** The address the server listens on (for the Host and Origin checks). */
  served: { hostname: string; port: number };
  /** Counts of refused requests, updated in place. @default a private counter */
  refused?: RefusedCounts;
  /** Warnings (the first refusal of each kind) go here. @default none */
  reporter?: Reporter;
}

/** Answer a refused request: count it, warn on the first of each kind but `invalid`. */
type Refuse = (kind: keyof RefusedCounts, status: number, message: string) => Response;

function refuser(refused: RefusedCounts, reporter: Reporter | undefined): Refuse {
  return (kind, status, message) => {
    if (refused[kind]++ === 0 && kind !== "invalid") {
      reporter?.warn(`refused a request: ${message}`);
    }
    return kind === "invalid" ? json(status, { error: message }) : text(status, message);
  };
}

/**
 * The 403 for a request with a foreign `Host` or `Origin`, or a missing or wrong token
 * (`?token=` for the page, the `X-Evalkit-Token` header for the API); null when it passes.
 */
function guardRequest(
  request: Request,
  url: URL,
  options: ReviewHandlerOptions,
  refuse: Refuse,
): Response | null {
  const host = request.headers.get("host");
  if (!hostAllowed(host, options.served)) {
    return refuse(
      "host",
      403,
      `Forbidden: Host ${JSON.stringify(host)} is not the address this page is served on`,
    );
  }
  const origin = request.headers.get("origin");
  if (!originAllowed(origin, options.served)) {
    return refuse("origin", 403, `Forbidden: Origin ${JSON.stringify(origin)} is another site`);
  }
  const api = url.pathname.startsWith("/api/");
  const given = api ? request.headers.get(TOKEN_HEADER) : url.searchParams.get("token");
  if (given === null || !sameSecret(given, options.token)) {
    return refuse(
      "token",
      403,
      api
        ? "Forbidden: missing or wrong X-Evalkit-Token header"
        : "Forbidden: missing or wrong ?token= (open the address review serve printed)",
    );
  }
  return null;
}

/** The page's items: each with its response and the rater's latest rating (or null). */
function pageItems(session: Pick<ReviewSession, "items" | "ratings" | "set">): PageItem[] {
  return session.items.map((i): PageItem => {
    const r = session.ratings.get(String(i.item.id));
    return {
      id: String(i.item.id),
      item: i.item,
      response: i.response ?? "",
      rating: r
        ? {
          ...Object.fromEntries(session.set.dimensions.map((d) => [d, r[d]])),
          notes: r.notes,
        }
        : null,
    };
  });
}

/** `GET /` (and `HEAD /`): the page, with a fresh nonce in its Content-Security-Policy. */
function pageResponse(request: Request, session: ReviewSession, token: string): Response {
  const nonce = randomToken(18);
  const html = reviewPageHtml({
    rater: session.rater,
    items: pageItems(session),
    rubric: session.rubric,
    scale: session.set.scale,
    nonce,
    token,
    maxNotes: MAX_NOTES,
  });
  return new Response(request.method === "HEAD" ? null : html, {
    headers: {
      ...COMMON_HEADERS,
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": pageCsp(nonce),
    },
  });
}

/** `POST /api/ratings`: check the body's type, size and JSON (415, 413, 400), then submit it. */
async function ratingResponse(
  request: Request,
  session: ReviewSession,
  refuse: Refuse,
): Promise<Response> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    return refuse("invalid", 415, "expected Content-Type: application/json");
  }
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > MAX_BODY) return refuse("invalid", 413, `body over ${MAX_BODY} bytes`);
  const raw = await request.text();
  if (raw.length > MAX_BODY) return refuse("invalid", 413, `body over ${MAX_BODY} bytes`);
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return refuse("invalid", 400, "body: expected a JSON object");
  }
  const result = await session.submit(body);
  if (!result.ok) return refuse("invalid", 400, result.error);
  return json(200, {
    saved: true,
    item_id: result.rating.item_id,
    updated: result.updated,
    rating: {
      ...Object.fromEntries(session.set.dimensions.map((d) => [d, result.rating[d]])),
      notes: result.rating.notes,
    },
    rated: result.rated,
    total: session.items.length,
  });
}

/**
 * The HTTP handler of a rating session: `GET /?token=T` is the page; `POST
 * /api/ratings` with header `X-Evalkit-Token: T` saves a rating. Host, Origin and
 * token are checked first (403), then the route (404, 405), then the body (413,
 * 415, 400).
 *
 * @param session An open session.
 * @param options The token and the served address.
 * @returns A handler for `Deno.serve` (or any `Request` → `Response` host).
 *
 * @example
 * ```ts
 * import { runJudge } from "../judge/run.ts";
 * import { demoPaths } from "../demo_world.ts";
 * const out = await Deno.makeTempDir();
 * const paths = demoPaths();
 * const judged = await runJudge(paths.evalItems, { judge: "heuristic", responses: paths.responses("r10"), out });
 * import { openReviewSession, reviewHandler } from "./serve.ts";
 * const session = await openReviewSession(judged.artifact, { rater: "ana", n: 5, out });
 * const handle = reviewHandler(session, { token: "t0k3n", served: { hostname: "127.0.0.1", port: 8123 } });
 * const get = (token: string) =>
 *   new Request(`http://127.0.0.1:8123/?token=${token}`, { headers: { host: "127.0.0.1:8123" } });
 * const ok = await handle(get("t0k3n"));
 * const refused = await handle(get("wrong"));
 * if (ok.status !== 200 || refused.status === 200) throw new Error(`${ok.status} ${refused.status}`);
 * await ok.body?.cancel();
 * await refused.body?.cancel();
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export function reviewHandler(
  session: ReviewSession,
  options: ReviewHandlerOptions,
): (request: Request) => Promise<Response> {
  const refused = options.refused ?? { host: 0, origin: 0, token: 0, invalid: 0 };
  const refuse = refuser(refused, options.reporter);
  return async (request) => {
    const url = new URL(request.url);
    const refusal = guardRequest(request, url, options, refuse);
    if (refusal) return refusal;
    if (url.pathname === "/") {
      if (request.method !== "GET" && request.method !== "HEAD") {
        return text(405, "Method not allowed");
      }
      return pageResponse(request, session, options.token);
    }
    if (url.pathname !== "/api/ratings") return text(404, "Not found");
    if (request.method !== "POST") return text(405, "Method not allowed: POST a rating");
    return await ratingResponse(request, session, refuse);
  };
}

/** Options for {@link serveReview}. */
export interface ServeReviewOptions extends ReviewSessionOptions {
  /** The address to listen on; another than loopback exposes the page to the network. @default "127.0.0.1" */
  hostname?: string;
  /** The port; 0 picks a free one. @default 0 */
  port?: number;
}

/** What a session did, for the `--json` summary. */
export interface ReviewServeSummary {
  rater: string;
  run: string;
  /** Items on the page. */
  items: number;
  /** Of which rated (in this session or before). */
  rated: number;
  remaining: number;
  /** Records appended in this session (re-ratings included). */
  saved: number;
  /** Of which re-ratings of an item already rated. */
  updated: number;
  ratings_file: string;
  /** The page's address without its token. */
  address: string;
  refused: RefusedCounts;
}

/** A running rating server. */
export interface ReviewServer {
  /** The page's URL, token included: give it to the rater. */
  url: string;
  /** The address without the token. */
  address: string;
  token: string;
  session: ReviewSession;
  /** Stop serving, release the ratings file, and summarise. */
  shutdown(): Promise<ReviewServeSummary>;
  /** Resolves when the server has stopped. */
  finished: Promise<void>;
}

function urlHost(hostname: string, port: number): string {
  const shown = WILDCARD.has(hostname) ? "127.0.0.1" : hostname;
  return shown.includes(":") && !shown.startsWith("[") ? `[${shown}]:${port}` : `${shown}:${port}`;
}

/**
 * Serve the rating page of one rater on a judge run (see the module docs).
 *
 * @param runDir A judge-run artifact folder.
 * @param options The rater, items, seed, ratings file, address and port.
 * @returns The server: its URL (with the token), the session, and `shutdown()`.
 * @throws {RangeError} and others, as {@link openReviewSession}; a usage error when the
 * port is taken.
 *
 * @example
 * ```ts
 * import { serveReview } from "./serve.ts";
 * import { runJudge } from "../judge/run.ts";
 * import { demoPaths } from "../demo_world.ts";
 * const out = await Deno.makeTempDir();
 * const run = await runJudge(demoPaths().evalItems, { judge: "heuristic", responses: demoPaths().responses("r10"), out });
 * const server = await serveReview(run.artifact, { rater: "ana", n: 5, out });
 * const page = await fetch(server.url);
 * const refused = await fetch(server.address);
 * await page.body?.cancel();
 * await refused.body?.cancel();
 * const summary = await server.shutdown();
 * if (page.status !== 200 || refused.status !== 403 || summary.refused.token !== 1) throw new Error();
 * ```
 */
export async function serveReview(
  runDir: string,
  options: ServeReviewOptions,
): Promise<ReviewServer> {
  const hostname = options.hostname ?? "127.0.0.1";
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw usageError(`Invalid --port "${port}": expected an integer from 0 to 65535`);
  }
  const session = await openReviewSession(runDir, options);
  const token = randomToken();
  const refused: RefusedCounts = { host: 0, origin: 0, token: 0, invalid: 0 };
  const served = { hostname: bareHost(hostname), port };
  const handler = reviewHandler(session, {
    token,
    served,
    refused,
    reporter: options.reporter,
  });
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({
      hostname: bareHost(hostname),
      port,
      onListen: () => {},
      onError: (e) => json(500, { error: `internal error: ${(e as Error).message}` }),
    }, handler);
  } catch (e) {
    await session.close();
    if (e instanceof Deno.errors.AddrInUse) {
      throw usageError(`Port ${port} on ${hostname} is taken: pick another --port, or 0`);
    }
    if (e instanceof Deno.errors.AddrNotAvailable || e instanceof Deno.errors.NotFound) {
      throw usageError(`Cannot listen on "${hostname}": not an address of this machine`);
    }
    throw e;
  }
  served.port = server.addr.port;
  const address = `http://${urlHost(hostname, served.port)}/`;
  if (!LOOPBACK.has(served.hostname)) {
    options.reporter?.warn(
      `listening on ${hostname}, not loopback: the page is reachable from other machines ` +
        `over plain HTTP; anyone with the URL can rate as "${session.rater}"`,
    );
  }
  let summary: ReviewServeSummary | null = null;
  return {
    url: `${address}?token=${token}`,
    address,
    token,
    session,
    finished: server.finished,
    async shutdown() {
      if (summary) return summary;
      await server.shutdown();
      await session.close();
      const rated = session.rated();
      summary = {
        rater: session.rater,
        run: runDir,
        items: session.items.length,
        rated,
        remaining: session.items.length - rated,
        saved: session.saved().records,
        updated: session.saved().updates,
        ratings_file: session.ratingsFile,
        address,
        refused: { ...refused },
      };
      return summary;
    },
  };
}
