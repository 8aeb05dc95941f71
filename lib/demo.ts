/**
 * The demo pipeline: the whole practice on the bundled demo world, offline.
 *
 * So far it loads and validates the demo world and writes a `world` artifact
 * summarising it; later steps (sample, judge, agreement, gate, compare,
 * correlate, report) join as they are built.
 *
 * @module
 */
import { writeArtifact } from "./artifacts.ts";
import { DEMO_DIR, loadDemoWorld, summarizeWorld, type WorldSummary } from "./demo_world.ts";
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
  reporter.info(`artifact  ${artifact.dir}${artifact.created ? "" : " (identical, kept)"}`);
  reporter.info(
    "not yet built: sample, generate, judge, review, agreement, regress, compare, correlate, report",
  );
  return { artifacts: [artifact.dir], report: null, world: summary };
}
