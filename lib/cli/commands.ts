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

/**
 * Import a command's module (`./NAME.ts`). The specifier is built at run time on
 * purpose: Deno pre-builds the module graph of every dynamic import whose specifier
 * is a string literal, so literal imports here made every command's start-up pay for
 * the whole kit's graph (DuckDB, Plot, linkedom, playwright…): about 110 ms, measured
 * with `BENCH_ONLY=startup deno task bench:judge`. Built, only the command that runs
 * is loaded.
 */
// deno-lint-ignore no-explicit-any
function command(name: string): Promise<any> {
  return import(new URL(`./${name}.ts`, import.meta.url).href);
}

/** The commands, in help order. */
export const COMMAND_INDEX: readonly CommandEntry[] = [
  {
    name: "validate",
    summary: "Check files against their schema; reports every bad line, not only the first",
    load: async () => (await command("validate")).validate,
  },
  {
    name: "demo",
    summary: "Whole pipeline on the bundled demo world, offline",
    load: async () => (await command("demo")).demo,
  },
  {
    name: "sample",
    summary: "Stratified random sample of prod logs, anonymized and deduplicated, into an eval set",
    load: async () => (await command("sample")).sample,
  },
  {
    name: "generate",
    summary: "Run the model under test over an eval set",
    load: async () => (await command("generate")).generate,
  },
  {
    name: "judge",
    summary:
      "Judge every item on each dimension of the rubric (the kit's five by default; --judge heuristic is the offline judge)",
    load: async () => (await command("judge")).judge,
  },
  {
    name: "review export",
    summary: "Blind human-rating sheets for a judged run",
    load: async () => (await command("review")).reviewExport,
  },
  {
    name: "review import",
    summary: "Validate and import filled rating sheets",
    load: async () => (await command("review")).reviewImport,
  },
  {
    name: "review serve",
    summary: "A local rating page for one human rater",
    load: async () => (await command("review_serve")).reviewServe,
  },
  {
    name: "import ratings",
    summary: "Import per-rater human ratings made elsewhere (CSV or JSONL)",
    load: async () => (await command("import")).importRatings,
  },
  {
    name: "import judgments",
    summary: "Import a judge's scores made elsewhere as a judgment run",
    load: async () => (await command("import")).importJudgments,
  },
  {
    name: "agreement",
    summary: "Judge–human and human–human agreement per dimension",
    load: async () => (await command("agreement")).agreement,
  },
  {
    name: "regress",
    summary: "Regression-set gate: no version may regress on known failures",
    load: async () => (await command("regress")).regress,
  },
  {
    name: "regress add",
    summary: "Append a real failure to the regression set",
    load: async () => (await command("regress")).regressAdd,
  },
  {
    name: "compare",
    summary: "Per-dimension paired comparison of two runs with confidence intervals",
    load: async () => (await command("compare")).compare,
  },
  {
    name: "correlate",
    summary: "Quarterly eval-vs-prod correlation across releases",
    load: async () => (await command("correlate")).correlate,
  },
  {
    name: "validity",
    summary:
      "Does each dimension's score predict the user's feedback on that answer (AUC, rate by score)",
    load: async () => (await command("validity")).validity,
  },
  {
    name: "report",
    summary: "Self-contained HTML report with plots",
    load: async () => (await command("report")).report,
  },
  {
    name: "status",
    summary:
      "What the rhythm says is due (human sample, monthly agreement, quarterly correlation, gate)",
    load: async () => (await command("status")).status,
  },
  {
    name: "cache info",
    summary: "Where the user-level cache is and what it holds (entries per kind, size, age)",
    load: async () => (await command("cache")).cacheInfoCommand,
  },
  {
    name: "cache clear",
    summary: "Remove cached judgments and responses (all, or those older than D)",
    load: async () => (await command("cache")).cacheClearCommand,
  },
];

/** Every command, loaded (for tools that list every command's flags). */
export function loadCommands(): Promise<Command[]> {
  return Promise.all(COMMAND_INDEX.map((c) => c.load()));
}
