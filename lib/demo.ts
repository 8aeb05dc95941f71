/**
 * The demo pipeline: the whole practice on the bundled demo world, offline.
 *
 * Load and validate the demo world, sample an eval set from its logs, judge
 * every release's recorded responses with the heuristic judge, export blind
 * review sheets and compute agreement with the two simulated raters, gate and
 * compare the candidate release against its baseline, correlate eval deltas
 * with prod deltas across releases, and write the HTML report.
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
import { judgeDemoReleases } from "./correlate/demo.ts";
import { correlateReleases } from "./correlate/correlate.ts";
import { compareRuns } from "./compare/run.ts";
import { runGate } from "./regress/gate.ts";
import { exportReview } from "./review/export.ts";
import { agreementFor } from "./agreement/run.ts";
import { writeReport } from "./report/mod.ts";
import { runJudge } from "./judge/run.ts";
import { validityOf } from "./validity/run.ts";
import { validityLine } from "./validity/format.ts";
import { HEURISTIC_JUDGE } from "./judge/heuristic.ts";
import type { Reporter } from "./reporter.ts";
import { DIMENSIONS } from "./schemas.ts";

/** The release the demo compares and gates, and its baseline. */
export const DEMO_CANDIDATE = "r09";
/** The baseline release of the demo's comparison and gate. */
export const DEMO_BASELINE = "r08";

/** The prod mix the demo samples to (the demo product's four topics). */
export const DEMO_MIX = { billing: 0.6, technical: 0.2, account: 0.1, other: 0.1 };

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

/** What the demo's steps share: where the world is, where artifacts go, what was written. */
interface DemoContext {
  dataDir: string;
  out: string | undefined;
  reporter: Reporter;
  paths: ReturnType<typeof demoPaths>;
  world: Awaited<ReturnType<typeof loadDemoWorld>>;
  summary: WorldSummary;
  /** Artifact folders written so far, in pipeline order. */
  artifacts: string[];
}

const kept = (a: { created: boolean }) => (a.created ? "" : " (identical, kept)");

/** Load and validate the world; write its summary as the `world` artifact. */
async function demoLoad(options: DemoOptions): Promise<DemoContext> {
  const dataDir = options.dataDir ?? DEMO_DIR;
  const world = await loadDemoWorld(dataDir);
  const summary = summarizeWorld(world);
  const mix = Object.entries(summary.topics)
    .map(([t, v]) => `${t} ${(v.share * 100).toFixed(1)}%`).join(", ");
  options.reporter.info(
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
  options.reporter.info(`          ${artifact.dir}${kept(artifact)}`);
  return {
    dataDir,
    out: options.out,
    reporter: options.reporter,
    paths: demoPaths(dataDir),
    world,
    summary,
    artifacts: [artifact.dir],
  };
}

/** Sample the eval set from the world's logs to the demo's prod mix. */
async function demoSample(ctx: DemoContext) {
  const sampleOptions = {
    logs: [ctx.paths.logs],
    n: 200,
    seed: "demo",
    mix: DEMO_MIX,
    exclude: [ctx.paths.cases],
  };
  const sampled = await sampleLogs(sampleOptions);
  const evalset = await writeEvalset(sampled, { ...sampleOptions, out: ctx.out });
  const s = sampled.summary;
  ctx.reporter.info(
    `sample    ${s.n} of ${s.population} distinct queries, ${
      Object.entries(s.strata).map(([k, v]) => `${k} ${v.got}/${v.target}`).join(", ")
    }; ${s.duplicates_removed} duplicates and ${s.excluded} held-out cases removed; ${
      Object.values(s.pii).reduce((a, b) => a + b, 0)
    } PII values replaced`,
  );
  ctx.reporter.info(`          ${evalset.dir}${kept(evalset)}`);
  ctx.artifacts.push(evalset.dir);
  return sampled;
}

/**
 * Judge every release's recorded responses (they stand in for `generate`: the releases
 * answered the demo's own 300-item eval set) and write the release registry.
 */
async function demoJudge(ctx: DemoContext) {
  const { world } = ctx;
  ctx.reporter.info(
    `generate  recorded responses of ${world.releases.length} releases (${
      world.releases[0].release
    }..${
      world.releases.at(-1)!.release
    }) to ${world.evalItems.length} eval items: no model is called`,
  );
  const judged = await judgeDemoReleases({ dataDir: ctx.dataDir, out: ctx.out });
  const releaseNames = world.releases.map((r) => r.release);
  ctx.reporter.info(
    `judge     heuristic judge (a weak offline baseline) on ${releaseNames.length} releases × ${world.evalItems.length} items`,
  );
  ctx.artifacts.push(...releaseNames.map((r) => judged.runs[r]), judged.artifact);
  return judged;
}

/** Blind sheets for the rated release, filled by the two simulated raters; agreement. */
async function demoHumans(ctx: DemoContext, runs: Record<string, string>) {
  const rated = ctx.world.releases.at(-1)!.release;
  const review = await exportReview(runs[rated], {
    n: 50,
    raters: ["ana", "ben"],
    seed: 0,
    out: ctx.out,
  });
  ctx.reporter.info(
    `review    blind sheets for ${rated}: ${review.selection.items.length} items × 2 raters (ana, ben); the demo's simulated raters filled ${
      ctx.paths.ratings.join(", ")
    }`,
  );
  const agreed = await agreementFor(runs[rated], ctx.paths.ratings, { out: ctx.out });
  const a = agreed.report;
  ctx.reporter.info(
    `agreement judge vs humans on ${a.items.compared} items (${a.metric}, threshold ${a.threshold}): ${
      DIMENSIONS.map((d) =>
        `${d} ${a.dimensions[d].value?.toFixed(2) ?? "n/a"} ${a.dimensions[d].verdict}`
      ).join(", ")
    }`,
  );
  ctx.artifacts.push(review.artifact, agreed.artifact);
  return agreed;
}

/** The regression gate: the baseline release, then the candidate against it. */
async function demoGate(ctx: DemoContext) {
  const [base, cand] = [DEMO_BASELINE, DEMO_CANDIDATE];
  const gateOf = (release: string, baseline?: string) =>
    runGate({
      cases: ctx.paths.cases,
      responses: ctx.paths.caseResponses(release),
      judge: HEURISTIC_JUDGE,
      baseline,
      out: ctx.out,
    });
  const gateBase = await gateOf(base);
  const gate = await gateOf(cand, gateBase.artifact);
  const g = gate.report!;
  ctx.reporter.info(
    `gate      ${cand} vs ${base} on ${g.cases} regression cases: ${g.failed} failing, ${g.regressions.length} regressions (${
      g.regressions.map((r) => r.id).join(", ") || "none"
    }) → ${g.verdict === "passed" ? "ship" : "do not ship"}`,
  );
  ctx.artifacts.push(gateBase.artifact, gate.artifact);
  return gate;
}

/** The candidate against its baseline, per dimension, prod-weighted by the sample's mix. */
async function demoCompare(
  ctx: DemoContext,
  runs: Record<string, string>,
  mix: Record<string, number>,
) {
  const [base, cand] = [DEMO_BASELINE, DEMO_CANDIDATE];
  const compared = await compareRuns(runs[base], runs[cand], { out: ctx.out, mix });
  const dims = compared.comparison.dimensions;
  ctx.reporter.info(
    `compare   ${cand} vs ${base}, ${compared.comparison.n} paired items: ${
      DIMENSIONS.map((d) =>
        `${d} ${fmtSigned(dims[d].diff)} [${fmtSigned(dims[d].ci[0])}, ${
          fmtSigned(dims[d].ci[1])
        }] ${dims[d].verdict}`
      ).join("; ")
    }`,
  );
  ctx.artifacts.push(compared.artifact);
  return compared;
}

/** The quarterly correlation across the registry's releases. */
async function demoCorrelate(ctx: DemoContext, registry: string) {
  const corr = await correlateReleases(registry, { out: ctx.out });
  const r = corr.result;
  const headline = (metric: string) =>
    DIMENSIONS.map((d) => {
      const cell = r.dimensions[d][metric];
      return `${d} ${
        cell?.pearson === null || cell?.pearson === undefined ? "n/a" : cell.pearson.toFixed(2)
      }`;
    }).join(", ");
  ctx.reporter.info(
    `correlate ${r.quarter}, ${r.pairs.length} release pairs: thumbs-down vs eval delta (Pearson) ${
      headline("thumbs_down_rate")
    }; predicts prod ${r.predicts_prod.thumbs_down_rate?.join(", ") || "none"}`,
  );
  ctx.artifacts.push(corr.artifact);
  return corr;
}

/**
 * Run the demo pipeline and report each step's one-line result.
 *
 * @param options The demo world's folder, where artifacts go, and a reporter.
 * @returns The artifacts written (or found identical), the report's path and the world's summary.
 *
 * @example
 * ```ts
 * import { runDemo } from "./demo.ts";
 * import { createReporter } from "./reporter.ts";
 * const out = await Deno.makeTempDir();
 * const demo = await runDemo({ out, reporter: createReporter({ quiet: true }) });
 * if (!demo.report?.endsWith("/report.html")) throw new Error(String(demo.report));
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const ctx = await demoLoad(options);
  const sampled = await demoSample(ctx);
  const judged = await demoJudge(ctx);
  const agreed = await demoHumans(ctx, judged.runs);
  const gate = await demoGate(ctx);
  const compared = await demoCompare(ctx, judged.runs, sampled.summary.mix.prod);
  const corr = await demoCorrelate(ctx, judged.registry);
  const valid = await demoValidity(ctx.paths, ctx.out);
  ctx.reporter.info(`validity  ${valid.line}`);
  ctx.artifacts.push(valid.judge, valid.artifact);
  const rep = await writeReport(judged.runs[DEMO_CANDIDATE], {
    out: ctx.out,
    comparison: compared.artifact,
    gate: gate.artifact,
    agreement: agreed.artifact,
    correlation: corr.artifact,
    validity: valid.artifact,
  });
  ctx.artifacts.push(rep.artifact);
  ctx.reporter.info(`report    ${rep.path}`);
  return { artifacts: ctx.artifacts, report: rep.path, world: ctx.summary };
}

/**
 * Item level: the heuristic judge scores the prod answers of the feedback set, and
 * each dimension's score is checked against the feedback its user gave.
 */
async function demoValidity(paths: ReturnType<typeof demoPaths>, out: string | undefined) {
  const judged = await runJudge(paths.feedbackItems, { judge: HEURISTIC_JUDGE, out });
  const valid = await validityOf(judged.artifact, { logs: [paths.logs], mix: DEMO_MIX, out });
  const v = valid.validity;
  return {
    judge: judged.artifact,
    artifact: valid.artifact,
    validity: v,
    line:
      `${v.n_items} judged prod answers (AUC: a thumbed-up answer outscores a thumbed-down one): ${
        validityLine(v)
      }`,
  };
}

function fmtSigned(x: number): string {
  return `${x >= 0 ? "+" : ""}${x.toFixed(2)}`;
}
