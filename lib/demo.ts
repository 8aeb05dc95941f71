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
import { DIMENSIONS } from "./schemas.ts";

/** The release the demo compares and gates, and its baseline. */
export const DEMO_CANDIDATE = "r09";
/** The baseline release of the demo's comparison and gate. */
export const DEMO_BASELINE = "r08";

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
  const artifacts = [artifact.dir, evalset.dir];

  // The releases answered the demo's own eval set (300 items drawn from the logs
  // by the generator); their recorded responses stand in for `generate`.
  reporter.info(
    `generate  recorded responses of ${world.releases.length} releases (${
      world.releases[0].release
    }..${
      world.releases.at(-1)!.release
    }) to ${world.evalItems.length} eval items: no model is called`,
  );
  const judged = await judgeDemoReleases({ dataDir, out: options.out });
  const releaseNames = world.releases.map((r) => r.release);
  reporter.info(
    `judge     heuristic judge (a weak offline baseline) on ${releaseNames.length} releases × ${world.evalItems.length} items`,
  );
  artifacts.push(...releaseNames.map((r) => judged.runs[r]), judged.artifact);

  // Humans: blind sheets for the rated release, filled by the two simulated raters.
  const rated = world.releases.at(-1)!.release;
  const review = await exportReview(judged.runs[rated], {
    n: 50,
    raters: ["ana", "ben"],
    seed: 0,
    out: options.out,
  });
  reporter.info(
    `review    blind sheets for ${rated}: ${review.selection.items.length} items × 2 raters (ana, ben); the demo's simulated raters filled ${
      paths.ratings.join(", ")
    }`,
  );
  artifacts.push(review.artifact);
  const agreed = await agreementFor(judged.runs[rated], paths.ratings, { out: options.out });
  const a = agreed.report;
  reporter.info(
    `agreement judge vs humans on ${a.items.compared} items (${a.metric}, threshold ${a.threshold}): ${
      DIMENSIONS.map((d) =>
        `${d} ${a.dimensions[d].value?.toFixed(2) ?? "n/a"} ${a.dimensions[d].verdict}`
      )
        .join(", ")
    }`,
  );
  artifacts.push(agreed.artifact);

  const [base, cand] = [DEMO_BASELINE, DEMO_CANDIDATE];
  const gateBase = await runGate({
    cases: paths.cases,
    responses: `${dataDir}/case_responses/${base}.jsonl`,
    judge: HEURISTIC_JUDGE,
    out: options.out,
  });
  const gate = await runGate({
    cases: paths.cases,
    responses: `${dataDir}/case_responses/${cand}.jsonl`,
    judge: HEURISTIC_JUDGE,
    baseline: gateBase.artifact,
    out: options.out,
  });
  const g = gate.report!;
  reporter.info(
    `gate      ${cand} vs ${base} on ${g.cases} regression cases: ${g.failed} failing, ${g.regressions.length} regressions (${
      g.regressions.map((r) => r.id).join(", ") || "none"
    }) → ${g.verdict === "passed" ? "ship" : "do not ship"}`,
  );
  artifacts.push(gateBase.artifact, gate.artifact);

  const compared = await compareRuns(judged.runs[base], judged.runs[cand], {
    out: options.out,
    mix: sampled.summary.mix.prod,
  });
  const dims = compared.comparison.dimensions;
  reporter.info(
    `compare   ${cand} vs ${base}, ${compared.comparison.n} paired items: ${
      DIMENSIONS.map((d) =>
        `${d} ${fmtSigned(dims[d].diff)} [${fmtSigned(dims[d].ci[0])}, ${
          fmtSigned(dims[d].ci[1])
        }] ${dims[d].verdict}`
      ).join("; ")
    }`,
  );
  artifacts.push(compared.artifact);

  const corr = await correlateReleases(judged.registry, { out: options.out });
  const r = corr.result;
  const headline = (metric: string) =>
    DIMENSIONS.map((d) => {
      const cell = r.dimensions[d][metric];
      return `${d} ${
        cell?.pearson === null || cell?.pearson === undefined ? "n/a" : cell.pearson.toFixed(2)
      }`;
    }).join(", ");
  reporter.info(
    `correlate ${r.quarter}, ${r.pairs.length} release pairs: thumbs-down vs eval delta (Pearson) ${
      headline("thumbs_down_rate")
    }; watch ${r.watch.thumbs_down_rate?.join(", ") || "none"}`,
  );
  artifacts.push(corr.artifact);

  const valid = await demoValidity(paths, options.out);
  reporter.info(`validity  ${valid.line}`);
  artifacts.push(valid.judge, valid.artifact);

  const rep = await writeReport(judged.runs[cand], {
    out: options.out,
    comparison: compared.artifact,
    gate: gate.artifact,
    agreement: agreed.artifact,
    correlation: corr.artifact,
  });
  artifacts.push(rep.artifact);
  reporter.info(`report    ${rep.path}`);
  return { artifacts, report: rep.path, world: summary };
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
