/**
 * `evalkit compare`: per-dimension paired comparison of two judgment runs.
 *
 * @module
 */
import { parseDimensionList } from "../dimensions.ts";
import type { Dimension } from "../schemas.ts";
import { readMix } from "../sample/sample.ts";
import { compareRuns } from "../compare/run.ts";
import { type Command, requireString } from "./_command.ts";
import { numberFlag } from "./_run_flags.ts";

const f = (x: number | null | undefined, digits = 2) =>
  x === null || x === undefined ? "–" : x.toFixed(digits);
const signed = (x: number, digits = 2) => (x > 0 ? "+" : "") + x.toFixed(digits);
const pct = (x: number | null | undefined) =>
  x === null || x === undefined ? "–" : `${(x * 100).toFixed(1)}%`;

/** `evalkit compare`: per-dimension paired comparison with CIs. */
export const compare: Command = {
  name: "compare",
  summary: "Per-dimension paired comparison of two runs with confidence intervals",
  usage: "compare --run DIR --baseline DIR",
  writes: true,
  flags: {
    dimensions: {
      type: "string",
      value: "a,b",
      description:
        "Only these dimensions (when the two sides' dimension sets differ: the shared ones to use)",
    },
    run: { type: "string", value: "DIR", description: "The candidate's judgment run" },
    baseline: { type: "string", value: "DIR", description: "The baseline's judgment run" },
    mix: {
      type: "string",
      value: "FILE",
      description:
        "Prod mix JSON {stratum: share} for prod-weighted means (default: the eval set's strata.json)",
    },
    evalset: {
      type: "string",
      value: "DIR",
      description: "Where the runs' eval set is, if it moved since they were judged",
    },
    seed: {
      type: "string",
      value: "N",
      description: "Seed of the bootstrap and permutation tests",
      default: "0",
    },
    resamples: {
      type: "string",
      value: "N",
      description: "Bootstrap resamples and Monte Carlo sign flips",
      default: "9999",
    },
  },
  async run(ctx) {
    const run = requireString(ctx, "run", compare);
    const baseline = requireString(ctx, "baseline", compare);
    const mixFile = ctx.values.mix as string | undefined;
    const result = await compareRuns(baseline, run, {
      ...(typeof ctx.values.dimensions === "string"
        ? { dimensions: parseDimensionList(ctx.values.dimensions) }
        : {}),
      out: ctx.values.out as string,
      seed: numberFlag(ctx, "seed", { integer: true }) ?? 0,
      resamples: numberFlag(ctx, "resamples", { integer: true, positive: true }) ?? 9999,
      mix: mixFile ? await readMix(mixFile) : undefined,
      mixFile,
      evalset: ctx.values.evalset as string | undefined,
      reporter: ctx.reporter,
    });
    const c = result.comparison;
    const r = ctx.reporter;
    r.info(
      `compare   ${c.candidate.artifact} (${c.candidate.models.join(", ")}) vs baseline ` +
        `${c.baseline.artifact} (${c.baseline.models.join(", ")}): ${c.n} items paired, ` +
        `${c.left_out.total} left out; judge ${c.candidate.judge_model}`,
    );
    const rows = [
      ["dimension", "baseline", "candidate", "diff", "95% CI", "p", "W/T/L", "MDD80", "verdict"],
      ...(Object.keys(c.dimensions) as Dimension[]).map((d) => {
        const v = c.dimensions[d];
        return [
          d,
          f(v.baseline_mean),
          f(v.candidate_mean),
          signed(v.diff),
          `[${signed(v.ci[0])}, ${signed(v.ci[1])}]`,
          f(v.p_value, 4),
          `${v.wins}/${v.ties}/${v.losses}`,
          f(v.mdd),
          v.verdict +
          (v.prod_weighted
            ? ` (prod-weighted ${f(v.prod_weighted.baseline_mean)} → ${
              f(v.prod_weighted.candidate_mean)
            })`
            : ""),
        ];
      }),
    ];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
    for (const row of rows) {
      r.info(
        "  " +
          row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join("  "),
      );
    }
    const cw = c.confidently_wrong;
    if (cw) {
      r.info(
        `  confidently wrong (correctness ≤ 2 and calibration ≤ 2): ${pct(cw.baseline)} → ${
          pct(cw.candidate)
        }`,
      );
    }
    if (c.hedge_rate) {
      r.info(
        `  hedge rate: ${pct(c.hedge_rate.baseline.rate)} → ${pct(c.hedge_rate.candidate.rate)}`,
      );
    }
    r.info(`artifact  ${result.artifact}${result.created ? "" : " (identical, kept)"}`);
    return { summary: { artifact: result.artifact, ...c } };
  },
};
