/**
 * The demo pipeline: the whole practice on the bundled demo world, offline.
 *
 * So far it loads and validates the demo world (a `world` artifact
 * summarising it) and samples the eval set (an `evalset` artifact); later steps (sample, judge, agreement, gate, compare,
 * correlate, report) join as they are built.
 *
 * @module
 */
import { writeArtifact } from "./artifacts.ts";
import {
  DEMO_DIR,
  demoPaths,
  loadDemoWorld,
  summarizeWorld,
  type WorldSummary,
} from "./demo_world.ts";
import { sampleLogs, writeEvalset } from "./sample/sample.ts";

/** The prod mix the demo samples to (the demo product's four topics). */
export const DEMO_MIX = { billing: 0.6, technical: 0.2, account: 0.1, other: 0.1 };
import type { Reporter } from "./reporter.ts";

/** Options for {@link runDemo}. */
export interface DemoOptions {
  /** The demo world's folder. @default the bundled data/demo */
  dataDir?: string;
  /** Where artifacts go. @default "runs" */
  out?: string;
  /** Where progress lines go. */
  reporter: Reporter;
}

/** What the demo did. */
export interface DemoResult {
  /** Artifact folders written (or found identical), in pipeline order. */
  artifacts: string[];
  /** The HTML report, once the report step exists. */
  report: string | null;
  world: WorldSummary;
}

/** Run the demo pipeline and report each step's one-line result. */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { reporter } = options;
  const dataDir = options.dataDir ?? DEMO_DIR;
  const world = await loadDemoWorld(dataDir);
  const summary = summarizeWorld(world);
  const mix = Object.entries(summary.topics)
    .map(([t, v]) => `${t} ${(v.share * 100).toFixed(1)}%`).join(", ");
  reporter.info(
    `load      ${summary.logs} prod log records ${summary.first_ts.slice(0, 10)}..${
      summary.last_ts.slice(0, 10)
    } (${mix}); ${summary.eval_items} eval queries; ${summary.releases.length} releases; ` +
      `${world.ratings.length} human ratings; ${summary.regression_cases} regression cases — all valid`,
  );
  const artifact = await writeArtifact({
    kind: "world",
    out: options.out,
    command: "demo",
    params: { data: dataDir },
    inputs: world.files,
    files: { "world.json": JSON.stringify(summary, null, 2) + "\n" },
    meta: { steps_built: ["load"] },
  });
  const kept = (a: { created: boolean }) => (a.created ? "" : " (identical, kept)");
  reporter.info(`          ${artifact.dir}${kept(artifact)}`);

  const paths = demoPaths(dataDir);
  const sampleOptions = {
    logs: [paths.logs],
    n: 200,
    seed: "demo",
    mix: DEMO_MIX,
    exclude: [paths.cases],
  };
  const sampled = await sampleLogs(sampleOptions);
  const evalset = await writeEvalset(sampled, { ...sampleOptions, out: options.out });
  const s = sampled.summary;
  reporter.info(
    `sample    ${s.n} of ${s.population} distinct queries, ${
      Object.entries(s.strata).map(([k, v]) => `${k} ${v.got}/${v.target}`).join(", ")
    }; ${s.duplicates_removed} duplicates and ${s.excluded} held-out cases removed; ${
      Object.values(s.pii).reduce((a, b) => a + b, 0)
    } PII values replaced`,
  );
  reporter.info(`          ${evalset.dir}${kept(evalset)}`);
  reporter.info(
    "not yet built: generate, judge, review, agreement, regress, compare, correlate, report",
  );
  return { artifacts: [artifact.dir, evalset.dir], report: null, world: summary };
}
