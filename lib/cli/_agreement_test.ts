import assert from "node:assert/strict";
import type { AgreementDrift, RejudgeEntry } from "../agreement/history.ts";
import type { JudgeDrift } from "../agreement/rejudge.ts";
import { createReporter } from "../reporter.ts";
import { DIMENSIONS } from "../schemas.ts";
import { historySummary, printHistory } from "./_agreement.ts";

const point = (month: string, value: number | null, flags: ("drop" | "ci_below_threshold")[]) => ({
  month,
  date: `${month}-10`,
  artifact: `runs/agreement-${month}`,
  value,
  ci: [null, null] as [null, null],
  verdict: "ok" as const,
  drop: null,
  flags,
});
const drift: AgreementDrift = {
  metric: "adjacent",
  threshold: 0.8,
  max_drop: 0.05,
  entries: [],
  months: ["2026-07", "2026-08"],
  dimensions: Object.fromEntries(
    DIMENSIONS.map((d) => [d, [
      point("2026-07", 0.95, []),
      point("2026-08", d === "clarity" ? 0.85 : null, d === "clarity" ? ["drop"] : []),
    ]]),
  ) as AgreementDrift["dimensions"],
  flags: [{
    month: "2026-08",
    previous_month: "2026-07",
    dimension: "clarity",
    kind: "drop",
    detail: "adjacent fell from 0.95 to 0.85",
  }],
  latest_flagged: true,
};
const rejudges: RejudgeEntry[] = [{
  artifact: "runs/agreement-r",
  date: "2026-08-20T10:00:00.000Z",
  run: "runs/judge-1",
  judge_model: "m",
  drift: { verdict: "drifted", drifted: ["clarity", "length"] } as unknown as JudgeDrift,
}];

Deno.test("printHistory() prints each dimension's months with flags, warns per flag, then the re-judge checks, in that order", () => {
  const lines: string[] = [];
  printHistory(
    createReporter({ write: (l) => lines.push(l.replace(/\n$/, "")) }),
    drift,
    3,
    rejudges,
  );
  assert.deepEqual(lines, [
    "history   3 agreement runs over 2 months (adjacent, threshold 0.8)",
    "  correctness  2026-07 0.95  2026-08 n/a",
    "  relevance    2026-07 0.95  2026-08 n/a",
    "  clarity      2026-07 0.95  2026-08 0.85 [drop]",
    "  calibration  2026-07 0.95  2026-08 n/a",
    "  length       2026-07 0.95  2026-08 n/a",
    "warning: 2026-08 clarity: adjacent fell from 0.95 to 0.85",
    "rejudge   2026-08-20 runs/judge-1: drifted (clarity, length)",
  ]);
});

Deno.test("historySummary() keeps the drift's figures and lists each re-judge check by verdict", () => {
  const summary = historySummary(drift, rejudges);
  assert.equal(summary.mode, "history");
  assert.equal(summary.latest_flagged, true);
  assert.deepEqual(summary.rejudges, [{
    artifact: "runs/agreement-r",
    date: "2026-08-20T10:00:00.000Z",
    run: "runs/judge-1",
    verdict: "drifted",
    drifted: ["clarity", "length"],
  }]);
});
