/**
 * What review and agreement read from a judge run: the run itself (refusing
 * the held-out regression set), and the items and responses it judged, found
 * through the run's manifest and checked against the sha256 recorded there.
 *
 * The held-out rule (SPEC §1.4): the regression set is never used to tune the
 * judge, so `review export` and `agreement` refuse (exit 2) a regression-case
 * file, a regression-gate artifact, and a judge run whose manifest says it
 * judged regression cases (`source: "cases"`) or whose eval set holds records
 * with `expected_behavior` (cases dressed up as an eval set).
 *
 * @module
 */
import { metaOf } from "../artifact_kinds.ts";
import { inputError, usageError } from "../_errors.ts";
import { locateInput, type Manifest, readManifest } from "../artifacts.ts";
import { readRecords } from "../io/read.ts";
import { readJudgeRun } from "../judge/run.ts";
import type { JudgeRun } from "../judge/run.ts";
import { anonymizeItem } from "../sample/anonymize.ts";
import { EvalItem, KINDS, Response } from "../schemas.ts";

/** Artifact kinds that hold the regression set's results. */
const HELD_OUT_KINDS = new Set(["gate", "regress", "regression"]);

function heldOut(path: string, why: string): RangeError {
  return usageError(
    `Refusing "${path}": ${why}. The regression set is held out: it is never used to ` +
      `tune or check the judge (judge an eval set instead)`,
  );
}

async function firstBytes(path: string, max = 65536): Promise<string> {
  using file = await Deno.open(path, { read: true });
  const buf = new Uint8Array(max);
  const n = await file.read(buf) ?? 0;
  return new TextDecoder().decode(buf.subarray(0, n));
}

/**
 * Whether a file holds regression cases: its first JSONL record, or its CSV header,
 * has an `expected_behavior` field. Unreadable files are not cases (the reader that
 * reads them later reports why).
 *
 * @example
 * ```ts
 * import { isRegressionCaseFile } from "./source.ts";
 * import { demoPaths } from "../demo_world.ts";
 * if (!(await isRegressionCaseFile(demoPaths().cases)) || await isRegressionCaseFile(demoPaths().logs)) throw new Error();
 * ```
 */
export async function isRegressionCaseFile(path: string): Promise<boolean> {
  let text: string;
  try {
    text = await firstBytes(path);
  } catch {
    return false;
  }
  const first = text.replace(/^\uFEFF/, "").split("\n").find((l) => l.trim() !== "") ?? "";
  if (first.trimStart().startsWith("{")) {
    try {
      const value = JSON.parse(first);
      return value !== null && typeof value === "object" && "expected_behavior" in value;
    } catch {
      return false;
    }
  }
  return first.split(",").some((c) => c.trim().replace(/^"|"$/g, "") === "expected_behavior");
}

/**
 * Throw a usage error (exit 2) when `path` is part of the held-out regression set:
 * a regression-case file, a gate artifact, or a judge run of regression cases.
 *
 * @param path A file or an artifact folder.
 * @throws {RangeError} `Refusing "path": ...` when it is held out.
 *
 * @example
 * ```ts
 * import { refuseHeldOut } from "./source.ts";
 * import { demoPaths } from "../demo_world.ts";
 * const error = await refuseHeldOut(demoPaths().cases).catch((e) => e);
 * if (!(error instanceof RangeError)) throw new Error(String(error));
 * ```
 */
export async function refuseHeldOut(path: string): Promise<void> {
  let stat: Deno.FileInfo;
  try {
    stat = await Deno.stat(path);
  } catch {
    return;
  }
  if (stat.isFile) {
    if (await isRegressionCaseFile(path)) heldOutThrow(path, "it holds regression cases");
    return;
  }
  let manifest: Manifest;
  try {
    manifest = await readManifest(path);
  } catch {
    return;
  }
  if (HELD_OUT_KINDS.has(manifest.kind)) {
    heldOutThrow(path, `it is a ${manifest.kind} artifact of the regression set`);
  }
  const meta = manifest.kind === "judge" ? metaOf(manifest, "judge", path) : manifest.meta;
  if (meta.source === "cases" || manifest.params.source === "cases") {
    heldOutThrow(path, "the judge run judged regression cases");
  }
  for (const input of manifest.inputs) {
    const file = await locateInput(path, input.path, input.sha256).catch(() => null);
    if (file && await isRegressionCaseFile(file)) {
      heldOutThrow(path, `its input "${input.path}" holds regression cases`);
    }
  }
}

function heldOutThrow(path: string, why: string): never {
  throw heldOut(path, why);
}

/** An item a judge run judged, with the response it judged. */
export interface RunItem {
  item: EvalItem;
  /** The judged response; null when the run had none for the item. */
  response: string | null;
  /** The model that gave the response, when known. */
  model: string | null;
}

/**
 * A run item as a person sees it (a review sheet, the rating page): its query,
 * every turn and the response anonymised with one numbering ({@link anonymizeItem}),
 * so that PII the model under test echoed or made up is not shown either.
 *
 * @example
 * ```ts
 * import { anonymizedRunItem } from "./source.ts";
 * const shown = anonymizedRunItem({
 *   item: { id: "q1", query: "mail <EMAIL_1>?", stratum: "billing", source_id: "l1" },
 *   response: "Write to help@example.com.",
 *   model: null,
 * });
 * if (shown.response !== "Write to <EMAIL_2>.") throw new Error(String(shown.response));
 * ```
 */
export function anonymizedRunItem(entry: RunItem): RunItem {
  const { item } = anonymizeItem({ ...entry.item, response: entry.response });
  const { response, ...rest } = item;
  return { ...entry, item: rest as EvalItem, response: response ?? null };
}

/** A judge run with the items and responses it judged. */
export interface RunWithItems {
  run: JudgeRun;
  /** Items by id, in eval-set order. */
  items: Map<string, RunItem>;
  /** The eval-set file and the responses file (null for production responses) read. */
  files: { evalset: string; responses: string | null };
}

/**
 * Open a judge run for review or agreement: refuse the held-out regression set, check
 * the folder is a judge run, and turn "not a judge run" into a usage error (exit 2).
 *
 * @throws {RangeError} When the path is held out, or not a judge-run folder.
 *
 * @example
 * ```ts
 * import { runJudge } from "../judge/run.ts";
 * import { demoPaths } from "../demo_world.ts";
 * const out = await Deno.makeTempDir();
 * const paths = demoPaths();
 * const judged = await runJudge(paths.evalItems, { judge: "heuristic", responses: paths.responses("r10"), out });
 * import { openJudgeRun } from "./source.ts";
 * if ((await openJudgeRun(judged.artifact)).judgments.length !== 300) throw new Error();
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export async function openJudgeRun(dir: string): Promise<JudgeRun> {
  await refuseHeldOut(dir);
  let stat: Deno.FileInfo;
  try {
    stat = await Deno.stat(dir);
  } catch {
    throw inputError([{ file: dir, line: 0, problem: "no such folder", kind: "type" }]);
  }
  if (!stat.isDirectory) {
    throw usageError(`"${dir}" is a file: --run takes a judge-run folder (runs/judge-<id>)`);
  }
  try {
    return await readJudgeRun(dir);
  } catch (e) {
    if (e instanceof TypeError && !(/line \d+/.test(e.message))) {
      throw usageError(`${e.message}: --run takes a judge-run folder (runs/judge-<id>)`);
    }
    throw e;
  }
}

/**
 * Read the items and responses a judge run judged, from the files its manifest names
 * (checked by sha256).
 *
 * @param run A judge run, from {@link openJudgeRun}.
 * @throws {TypeError} When a file is missing, changed, or bad.
 *
 * @example
 * ```ts
 * import { runJudge } from "../judge/run.ts";
 * import { demoPaths } from "../demo_world.ts";
 * const out = await Deno.makeTempDir();
 * const paths = demoPaths();
 * const judged = await runJudge(paths.evalItems, { judge: "heuristic", responses: paths.responses("r10"), out });
 * import { openJudgeRun, readRunItems } from "./source.ts";
 * const { items } = await readRunItems(await openJudgeRun(judged.artifact));
 * if (items.size !== 300 || [...items.values()][0].response === null) throw new Error();
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export async function readRunItems(run: JudgeRun): Promise<RunWithItems> {
  const meta = metaOf(run.manifest, "judge", run.dir);
  if (!meta.evalset?.file || !meta.evalset.sha256) {
    throw usageError(`Cannot read "${run.dir}": the manifest does not name its eval set`);
  }
  const evalFile = await locateInput(
    run.dir,
    meta.evalset.file,
    meta.evalset.sha256,
    meta.evalset.abs,
  );
  const evalItems = await readRecords(evalFile, EvalItem, { key: KINDS.evalset.key });
  const items = new Map<string, RunItem>();
  for (const item of evalItems) {
    items.set(String(item.id), {
      item,
      response: item.response ?? null,
      model: item.model ?? null,
    });
  }
  let responsesFile: string | null = null;
  if (meta.responses?.file && meta.responses.sha256) {
    responsesFile = await locateInput(
      run.dir,
      meta.responses.file,
      meta.responses.sha256,
      meta.responses.abs,
    );
    for (const item of items.values()) {
      item.response = null;
      item.model = null;
    }
    const responses = await readRecords(responsesFile, Response, { key: KINDS.responses.key });
    for (const r of responses) {
      const entry = items.get(String(r.item_id));
      if (entry) {
        entry.response = r.response;
        entry.model = r.model;
      }
    }
  }
  return { run, items, files: { evalset: evalFile, responses: responsesFile } };
}

export { locateInput };
