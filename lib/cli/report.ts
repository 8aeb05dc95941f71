/**
 * `evalkit report`: one self-contained HTML report of a judge run.
 *
 * @module
 */
import { LINKED_SECTIONS, writeReport } from "../report/mod.ts";
import { type Command, requireString } from "./_command.ts";

function artifactFlag(value: unknown): string | null | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  return value === "none" ? null : value;
}

/** `evalkit report`: HTML report with plots. */
export const report: Command = {
  name: "report",
  summary: "Self-contained HTML report with plots",
  usage:
    "report --run DIR [--comparison DIR] [--gate DIR] [--agreement DIR] [--correlation DIR] [--validity DIR] [--runs DIR] [--out DIR]",
  writes: true,
  flags: {
    run: { type: "string", value: "DIR", description: "The judge run the report is about" },
    comparison: {
      type: "string",
      value: "DIR",
      description:
        'The comparison to show ("none" for none; default: the latest in --runs whose candidate is the run)',
    },
    gate: {
      type: "string",
      value: "DIR",
      description:
        "The regression gate to show (default: the latest in --runs that tested the run's model)",
    },
    agreement: {
      type: "string",
      value: "DIR",
      description:
        "The judge–human agreement to show (default: the run's, else the latest of its judge and prompt)",
    },
    correlation: {
      type: "string",
      value: "DIR",
      description: "The quarterly correlation to show (default: the latest quarter's in --runs)",
    },
    validity: {
      type: "string",
      value: "DIR",
      description:
        'The item-level validity check to show ("none" for none; default: the run\'s, else the latest of its judge and prompt in --runs)',
    },
    runs: {
      type: "string",
      value: "DIR",
      description: "Where to look for those artifacts (default: the run's parent folder)",
    },
  },
  async run(ctx) {
    const run = requireString(ctx, "run", report);
    const result = await writeReport(run, {
      out: ctx.values.out as string,
      runs: ctx.values.runs as string | undefined,
      comparison: artifactFlag(ctx.values.comparison),
      gate: artifactFlag(ctx.values.gate),
      agreement: artifactFlag(ctx.values.agreement),
      correlation: artifactFlag(ctx.values.correlation),
      validity: artifactFlag(ctx.values.validity),
    });
    const r = ctx.reporter;
    const d = result.data;
    r.info(
      `report    ${d.run.release ? `${d.run.release} ` : ""}${d.run.artifact} (${
        d.run.models.join(", ")
      }), judged by ${d.run.judge.model}`,
    );
    for (const s of LINKED_SECTIONS) {
      const shown = d[s];
      r.info(
        `  ${s.padEnd(12)} ${
          shown ? `${shown.artifact}${shown.how === "found" ? " (found)" : ""}` : "missing: " +
            d.missing[s]!.why
        }`,
      );
    }
    for (const w of d.warnings) r.warn(w.text);
    r.info(`artifact  ${result.artifact}${result.created ? "" : " (identical, kept)"}`);
    r.info(`open      ${result.path}`);
    return {
      summary: {
        artifact: result.artifact,
        report: result.path,
        run: d.run.artifact,
        release: d.run.release,
        sections: result.sections,
        sources: Object.fromEntries(LINKED_SECTIONS.map((s) => [s, d[s]?.dir ?? null])),
        missing: d.missing,
        warnings: d.warnings.map((w) => w.text),
      },
    };
  },
};
