/**
 * Every command of the CLI, in help order (SPEC §3): its name and one-line
 * summary, and how to load it. A command's module (and the npm packages it
 * needs: openai, zod, DuckDB, Plot, linkedom, playwright) is imported only
 * when that command runs or shows its own help, so `evalkit --help` loads no
 * npm package. tests/cli_test.ts checks each summary against its module's.
 *
 * @module
 */
import type { Command } from "./_command.ts";

/** One command in the index: what `evalkit --help` shows, and its module. */
export interface CommandEntry {
  /** `"validate"`, or `"review export"` for a subcommand. */
  name: string;
  /** One line for `evalkit --help` (the same as the command's own). */
  summary: string;
  /** Import the command's module. */
  load: () => Promise<Command>;
}

/** The commands, in help order. */
export const COMMAND_INDEX: readonly CommandEntry[] = [
  {
    name: "validate",
    summary: "Check files against their schema; reports every bad line, not only the first",
    load: async () => (await import("./validate.ts")).validate,
  },
  {
    name: "demo",
    summary: "Whole pipeline on the bundled demo world, offline",
    load: async () => (await import("./demo.ts")).demo,
  },
  {
    name: "sample",
    summary: "Stratified random sample of prod logs, anonymized and deduplicated, into an eval set",
    load: async () => (await import("./sample.ts")).sample,
  },
  {
    name: "generate",
    summary: "Run the model under test over an eval set",
    load: async () => (await import("./generate.ts")).generate,
  },
  {
    name: "judge",
    summary: "Judge every item on the five dimensions (--judge heuristic is the offline judge)",
    load: async () => (await import("./judge.ts")).judge,
  },
  {
    name: "review export",
    summary: "Blind human-rating sheets for a judged run",
    load: async () => (await import("./review.ts")).reviewExport,
  },
  {
    name: "review import",
    summary: "Validate and import filled rating sheets",
    load: async () => (await import("./review.ts")).reviewImport,
  },
  {
    name: "review serve",
    summary: "A local rating page for one human rater",
    load: async () => (await import("./review_serve.ts")).reviewServe,
  },
  {
    name: "import ratings",
    summary: "Import per-rater human ratings made elsewhere (CSV or JSONL)",
    load: async () => (await import("./import.ts")).importRatings,
  },
  {
    name: "import judgments",
    summary: "Import a judge's scores made elsewhere as a judgment run",
    load: async () => (await import("./import.ts")).importJudgments,
  },
  {
    name: "agreement",
    summary: "Judge–human and human–human agreement per dimension",
    load: async () => (await import("./agreement.ts")).agreement,
  },
  {
    name: "regress",
    summary: "Regression-set gate: no version may regress on known failures",
    load: async () => (await import("./regress.ts")).regress,
  },
  {
    name: "regress add",
    summary: "Append a real failure to the regression set",
    load: async () => (await import("./regress.ts")).regressAdd,
  },
  {
    name: "compare",
    summary: "Per-dimension paired comparison of two runs with confidence intervals",
    load: async () => (await import("./compare.ts")).compare,
  },
  {
    name: "correlate",
    summary: "Quarterly eval-vs-prod correlation across releases",
    load: async () => (await import("./correlate.ts")).correlate,
  },
  {
    name: "validity",
    summary:
      "Does each dimension's score predict the user's feedback on that answer (AUC, rate by score)",
    load: async () => (await import("./validity.ts")).validity,
  },
  {
    name: "report",
    summary: "Self-contained HTML report with plots",
    load: async () => (await import("./report.ts")).report,
  },
  {
    name: "status",
    summary:
      "What the rhythm says is due (human sample, monthly agreement, quarterly correlation, gate)",
    load: async () => (await import("./status.ts")).status,
  },
  {
    name: "cache info",
    summary: "Where the user-level cache is and what it holds (entries per kind, size, age)",
    load: async () => (await import("./cache.ts")).cacheInfoCommand,
  },
  {
    name: "cache clear",
    summary: "Remove cached judgments and responses (all, or those older than D)",
    load: async () => (await import("./cache.ts")).cacheClearCommand,
  },
];

/** Every command, loaded (for tools that list every command's flags). */
export function loadCommands(): Promise<Command[]> {
  return Promise.all(COMMAND_INDEX.map((c) => c.load()));
}
