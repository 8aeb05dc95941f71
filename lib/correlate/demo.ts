/**
 * The demo's release registry: judge every demo release's responses on the demo eval
 * set and write a registry artifact (`releases-<id>/releases.csv`) whose `eval_run`
 * column names those runs, so `correlate` can run on the demo offline.
 *
 * Two judges: `"heuristic"` (the offline text-feature judge, as the demo pipeline uses)
 * and `"truth"`, which writes the demo world's true per-item scores
 * (`data/demo/truth/<release>.jsonl`) as judge-run artifacts (judge model
 * `demo-truth`): an oracle judge, to show that the correlation machinery recovers the
 * generator's documented ground truth when the judge is perfect.
 *
 * @module
 */
import { sha256, sha256File } from "../_hash.ts";
import { writeArtifact } from "../artifacts.ts";
import { DEMO_DIR, demoPaths, readTruthScores } from "../demo_world.ts";
import { readRecords } from "../io/read.ts";
import { toCsv, toJsonl } from "../io/write.ts";
import { HEURISTIC_JUDGE, readLengthBands } from "../judge/heuristic.ts";
import { runJudge } from "../judge/run.ts";
import type { Reporter } from "../reporter.ts";
import { type Judgment, KINDS, Release, RELEASE_TEXT_COLUMNS } from "../schemas.ts";

/**
 * The judge model name of the demo's oracle runs (the true scores).
 *
 * @example
 * ```ts
 * import { DEMO_TRUTH_JUDGE } from "./demo.ts";
 * if (DEMO_TRUTH_JUDGE !== "demo-truth") throw new Error();
 * ```
 */
export const DEMO_TRUTH_JUDGE = "demo-truth";

/** Options for {@link judgeDemoReleases}. */
export interface JudgeDemoReleasesOptions {
  /** The demo world's folder. @default the bundled data/demo */
  dataDir?: string;
  /** Where artifacts go. @default "runs" */
  out?: string;
  /** `"heuristic"`: the offline judge; `"truth"`: the demo's true scores as runs. @default "heuristic" */
  judge?: "heuristic" | "truth";
  /** Where one line per release goes. @default none */
  reporter?: Reporter;
}

/** What {@link judgeDemoReleases} wrote. */
export interface JudgeDemoReleasesResult {
  /** The registry file (`<out>/releases-<id>/releases.csv`): pass it to `correlate`. */
  registry: string;
  /** The registry artifact folder. */
  artifact: string;
  /** Each release's judge-run folder. */
  runs: Record<string, string>;
}

async function truthRun(
  release: string,
  model: string | null,
  evalFile: string,
  truthFile: string,
  out: string,
): Promise<string> {
  const prompt = sha256(DEMO_TRUTH_JUDGE);
  const truth = await readTruthScores(truthFile);
  const judgments: Judgment[] = [...truth].map(([item_id, scores]) => ({
    item_id,
    judge_model: DEMO_TRUTH_JUDGE,
    prompt_sha256: prompt,
    scores,
    rationale: "the demo world's true scores",
    usage: { prompt_tokens: 0, completion_tokens: 0 },
    status: "ok",
  }));
  const written = await writeArtifact({
    kind: "judge",
    out,
    command: "demo-truth",
    params: { judge: DEMO_TRUTH_JUDGE, release },
    inputs: [evalFile, truthFile],
    files: { "judgments.jsonl": toJsonl(judgments) },
    meta: {
      judge_model: DEMO_TRUTH_JUDGE,
      judge_family: null,
      self_judged: false,
      prompt: { name: DEMO_TRUTH_JUDGE, path: null, sha256: prompt },
      prompt_sha256: prompt,
      evalset: { path: evalFile, file: evalFile, sha256: await sha256File(evalFile) },
      responses: null,
      models: model ? [model] : [],
      counts: { items: judgments.length, ok: judgments.length, failed: 0, flagged: 0 },
      cost_usd: 0,
    },
  });
  return written.dir;
}

/**
 * Judge each demo release's responses on the demo eval set (300 items, with the length
 * bands the demo team declares in `data/demo_team/length_bands.json`) and write a release
 * registry artifact naming those runs; its `eval_run` paths are relative to the
 * registry's folder (`../judge-<id>`).
 *
 * @param options The demo folder, out, the judge and a reporter.
 * @returns The registry file, its artifact folder and each release's run.
 * @throws {TypeError} or {SyntaxError} when a demo file is bad.
 *
 * @example The oracle: the demo world's true scores as judge runs
 * ```ts
 * import { judgeDemoReleases } from "./demo.ts";
 * const out = await Deno.makeTempDir();
 * const judged = await judgeDemoReleases({ out, judge: "truth" });
 * if (Object.keys(judged.runs).length !== 10) throw new Error();
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export async function judgeDemoReleases(
  options: JudgeDemoReleasesOptions = {},
): Promise<JudgeDemoReleasesResult> {
  const dataDir = options.dataDir ?? DEMO_DIR;
  const out = options.out ?? "runs";
  const judge = options.judge ?? "heuristic";
  const paths = demoPaths(dataDir);
  const releases = await readRecords(paths.releases, Release, { key: KINDS.releases.key });
  const runs: Record<string, string> = {};
  const inputs = [paths.releases];
  const lengthBands = judge === "truth" ? {} : await readLengthBands(paths.lengthBands);
  for (const r of releases) {
    if (judge === "truth") {
      runs[r.release] = await truthRun(
        r.release,
        r.model ?? null,
        paths.evalItems,
        paths.truth(r.release),
        out,
      );
    } else {
      const res = await runJudge(paths.evalItems, {
        judge: HEURISTIC_JUDGE,
        responses: paths.responses(r.release),
        out,
        heuristic: { lengthBands },
      });
      runs[r.release] = res.artifact;
    }
    inputs.push(`${runs[r.release]}/judgments.jsonl`);
    options.reporter?.info(`judge     ${r.release} (${judge}) → ${runs[r.release]}`);
  }
  const keys = new Set(releases.flatMap((r) => Object.keys(r)));
  const text = new Set<string>(RELEASE_TEXT_COLUMNS);
  const columns = [
    "release",
    "date",
    "eval_run",
    ...[...keys].filter((k) => !text.has(k)),
    ...RELEASE_TEXT_COLUMNS.filter((c) =>
      c !== "release" && c !== "date" && c !== "eval_run" && keys.has(c)
    ),
  ];
  // Every run sits in `out`, as the registry's folder does: name them as its siblings.
  const sibling = (dir: string) => `../${dir.slice(dir.lastIndexOf("/") + 1)}`;
  const written = await writeArtifact({
    kind: "releases",
    out,
    command: "demo",
    params: { data: dataDir, judge },
    inputs,
    files: {
      "releases.csv": toCsv(
        releases.map((r) => ({ ...r, eval_run: sibling(runs[r.release]) })),
        columns,
      ),
    },
    meta: { judge, runs },
  });
  return { registry: `${written.dir}/releases.csv`, artifact: written.dir, runs };
}
