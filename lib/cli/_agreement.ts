/**
 * The printing steps of `evalkit agreement`: what each mode (`--history`, `--rejudge`,
 * two runs) reports on stderr, and the `--history` summary. The single-run lines are
 * {@link agreementLines} of lib/agreement.
 *
 * @module
 */
import type { AgreementDrift, RejudgeEntry } from "../agreement/history.ts";
import type { RejudgeResult } from "../agreement/rejudge.ts";
import { disagreementLine, type PromptComparisonResult } from "../agreement/run.ts";
import type { Reporter } from "../reporter.ts";
import { usd } from "./_run_flags.ts";
import { artifactLine } from "./_steps.ts";

/**
 * The column a dimension's name is padded to: 12, or wider for a rubric's longer names.
 */
function nameWidth(dimensions: readonly string[]): number {
  return Math.max(12, ...dimensions.map((d) => d.length + 1));
}

/**
 * `--history`: one line per dimension with each month's figure and flags, a warning per
 * flag, and one line per re-judge check.
 */
export function printHistory(
  r: Reporter,
  drift: AgreementDrift,
  entries: number,
  rejudges: readonly RejudgeEntry[],
): void {
  r.info(
    `history   ${entries} agreement runs over ${drift.months.length} months (${drift.metric}, threshold ${drift.threshold})`,
  );
  const dims = Object.keys(drift.dimensions) as (keyof AgreementDrift["dimensions"])[];
  const width = nameWidth(dims);
  for (const d of dims) {
    r.info(
      `  ${d.padEnd(width)} ${
        drift.dimensions[d].map((p) =>
          `${p.month} ${p.value ?? "n/a"}${p.flags.length ? ` [${p.flags.join(", ")}]` : ""}`
        ).join("  ")
      }`,
    );
  }
  for (const f of drift.flags) r.warn(`${f.month} ${f.dimension}: ${f.detail}`);
  for (const j of rejudges) {
    r.info(
      `rejudge   ${j.date.slice(0, 10)} ${j.run}: ${j.drift.verdict}${
        j.drift.drifted.length ? ` (${j.drift.drifted.join(", ")})` : ""
      }`,
    );
  }
}

/** The `--history --json` summary. */
export function historySummary(
  drift: AgreementDrift,
  rejudges: readonly RejudgeEntry[],
): Record<string, unknown> {
  return {
    mode: "history",
    metric: drift.metric,
    threshold: drift.threshold,
    max_drop: drift.max_drop,
    months: drift.months,
    entries: drift.entries,
    dimensions: drift.dimensions,
    flags: drift.flags,
    latest_flagged: drift.latest_flagged,
    rejudges: rejudges.map((j) => ({
      artifact: j.artifact,
      date: j.date,
      run: j.run,
      verdict: j.drift.verdict,
      drifted: j.drift.drifted,
    })),
  };
}

/** `--rejudge RUN`: requests and cost, then per dimension the mean shift and the share changed. */
export function printRejudge(r: Reporter, run: string, result: RejudgeResult): void {
  const dr = result.drift;
  r.info(
    `rejudge   ${dr.items} items of ${run} judged again: ${result.requests} requests, ${
      usd(result.cost_usd)
    }`,
  );
  const dims = Object.keys(dr.dimensions) as (keyof typeof dr.dimensions)[];
  const width = nameWidth(dims);
  for (const d of dims) {
    const x = dr.dimensions[d];
    r.info(
      `  ${d.padEnd(width)} ${
        x.drifted ? "DRIFTED" : "stable "
      }  mean ${x.mean_before} → ${x.mean_after} ` +
        `(shift ${x.mean_shift} [${x.ci[0]}, ${x.ci[1]}], p ${x.p_value}); ${
          (x.changed_share * 100).toFixed(1)
        }% of scores changed`,
    );
  }
  r.info(`artifact  ${result.artifact}`);
}

/**
 * `--run OLD --run NEW`: per dimension old → new with the paired difference, the
 * recommendation, the new run's first disagreements and the artifact.
 */
export function printComparison(
  r: Reporter,
  runs: readonly [string, string],
  result: PromptComparisonResult,
): void {
  const c = result.comparison;
  r.info(
    `compare   ${runs[0]} (old) vs ${
      runs[1]
    } (new) on ${c.items} rated items; ${c.metric}, threshold ${c.threshold}`,
  );
  const dims = Object.keys(c.dimensions) as (keyof typeof c.dimensions)[];
  const width = nameWidth(dims);
  for (const d of dims) {
    const x = c.dimensions[d];
    const diff = x.differences[c.metric];
    r.info(
      `  ${d.padEnd(width)} old ${c.old.dimensions[d].value ?? "n/a"} (${x.old_verdict}) → new ${
        c.new.dimensions[d].value ?? "n/a"
      } (${x.new_verdict}); diff ${diff.diff ?? "n/a"} [${diff.ci[0] ?? "-"}, ${
        diff.ci[1] ?? "-"
      }]` +
        `${diff.p_value !== null ? ` p ${diff.p_value}` : ""}: ${x.verdict}`,
    );
  }
  r.info(c.recommendation);
  for (const x of c.new.disagreements.slice(0, 10)) r.info(`  ${disagreementLine(x)}`);
  r.info(artifactLine(result.artifact, !result.created));
}
