/**
 * `evalkit validity`: does each dimension's score predict the user's feedback?
 *
 * @module
 */
import { type Command, parseMap, requireString, strings } from "./_command.ts";
import { numberFlag } from "./_run_flags.ts";

const f = (x: number | null | undefined) => (x === null || x === undefined ? "–" : x.toFixed(2));
const ci = (c: [number, number] | null) => (c ? `[${f(c[0])}, ${f(c[1])}]` : "–");

/** `evalkit validity`: item-level eval–prod validity per dimension. */
export const validity: Command = {
  name: "validity",
  summary:
    "Does each dimension's score predict the user's feedback on that answer (AUC, rate by score)",
  usage: "validity --run DIR [--logs F...] [--map FIELD=COLUMN] --out DIR",
  writes: true,
  flags: {
    run: {
      type: "string",
      value: "DIR",
      description:
        "A judgment run of the eval set's production responses (judge without --responses)",
    },
    logs: {
      type: "string",
      multiple: true,
      variadic: true,
      value: "F",
      description: "Prod logs with the feedback (default: the logs the eval set was sampled from)",
    },
    map: {
      type: "string",
      multiple: true,
      value: "FIELD=COLUMN",
      description: "Read a log field from another column name",
    },
    evalset: {
      type: "string",
      value: "DIR",
      description: "Where the run's eval set is, if it moved since it was judged",
    },
    seed: { type: "string", value: "N", description: "Seed of the bootstrap", default: "0" },
    resamples: {
      type: "string",
      value: "N",
      description: "Bootstrap resamples",
      default: "2000",
    },
  },
  async run(ctx) {
    const run = requireString(ctx, "run", validity);
    const { validityOf } = await import("../validity/run.ts");
    const { formatAuc } = await import("../validity/format.ts");
    const logs = strings(ctx, "logs");
    const result = await validityOf(run, {
      logs: logs.length ? logs : undefined,
      map: parseMap(ctx.values.map as string[] | undefined),
      evalset: ctx.values.evalset as string | undefined,
      seed: numberFlag(ctx, "seed", { integer: true }) ?? 0,
      resamples: numberFlag(ctx, "resamples", { integer: true, positive: true }) ?? 2000,
      out: ctx.values.out as string,
      reporter: ctx.reporter,
    });
    const v = result.validity;
    const r = ctx.reporter;
    r.info(
      `validity  ${v.run} (judge ${v.judge_model}): ${v.n_items} judged prod answers, ` +
        `${v.n_down} thumbed down, ${v.n_up} thumbed up, ${v.n_none} without feedback` +
        (v.unmatched ? `, ${v.unmatched} not found in the logs` : ""),
    );
    for (const note of v.notes) r.info(`  note: ${note}`);
    const rows = [
      ["dimension", "AUC", "95% CI", "down vs rest", "prod-weighted", "±", "n for ±0.05"],
      ...Object.entries(v.dimensions).map(([d, x]) => [
        d,
        formatAuc(x).split(" ")[0],
        ci(x.auc_ci),
        f(x.auc_down_vs_rest.auc),
        f(x.weighted_auc),
        f(x.power.half_width),
        x.power.n_for_half_width_0_05 === null ? "–" : String(x.power.n_for_half_width_0_05),
      ]),
    ];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
    for (const row of rows) r.info("  " + row.map((c, i) => c.padEnd(widths[i])).join("  "));
    for (const [d, x] of Object.entries(v.dimensions)) if (x.reason) r.info(`  ${d}: ${x.reason}`);
    if (v.adjusted.reason) r.info(`  adjusted: ${v.adjusted.reason}`);
    r.info(`artifact  ${result.artifact}${result.created ? "" : " (identical, kept)"}`);
    return { summary: { artifact: result.artifact, ...v } };
  },
};
