/**
 * `evalkit status`: what the rhythm says is due, read from a runs folder.
 *
 * @module
 */
import { usageError } from "../_errors.ts";
import { readStatus, statusLines } from "../status/mod.ts";
import type { Command } from "./_command.ts";

/** `evalkit status`: what is due (human sample, monthly agreement, quarterly correlation, gate). */
export const status: Command = {
  name: "status",
  summary:
    "What the rhythm says is due (human sample, monthly agreement, quarterly correlation, gate)",
  usage: "status [--runs DIR] [--now DATE]",
  flags: {
    runs: { type: "string", value: "DIR", description: "The runs folder", default: "runs" },
    now: {
      type: "string",
      value: "DATE",
      description: "Today, as YYYY-MM-DD or an ISO timestamp (default: the clock)",
    },
    "monthly-days": {
      type: "string",
      value: "N",
      description: "An agreement check older than N days is due again",
      default: "30",
    },
  },
  async run(ctx) {
    const raw = ctx.values.now as string | undefined;
    let now: Date | undefined;
    if (raw !== undefined) {
      now = new Date(/^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00Z` : raw);
      if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(now.getTime())) {
        throw usageError(`Invalid --now "${raw}": expected YYYY-MM-DD or an ISO timestamp`);
      }
    }
    const days = String(ctx.values["monthly-days"] ?? "30");
    if (!/^\d+$/.test(days) || Number(days) < 1) {
      throw usageError(`Invalid --monthly-days "${days}": expected a positive integer`);
    }
    const report = await readStatus(ctx.values.runs as string, {
      now,
      monthlyDays: Number(days),
    });
    for (const line of statusLines(report)) ctx.reporter.info(line);
    return { summary: { ...report } };
  },
};
