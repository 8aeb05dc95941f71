/**
 * Every command of the CLI, in help order (SPEC §3).
 *
 * @module
 */
import type { Command } from "./_command.ts";
import { validate } from "./validate.ts";
import { demo } from "./demo.ts";
import { generate } from "./generate.ts";
import { judge } from "./judge.ts";
import { sample } from "./sample.ts";
import { correlate } from "./correlate.ts";
import { regress, regressAdd } from "./regress.ts";
import { compare } from "./compare.ts";

function planned(name: string, summary: string, usage: string, writes = true): Command {
  return { name, summary, usage, flags: {}, writes };
}

/** The commands, built or planned. */
export const COMMANDS: readonly Command[] = [
  validate,
  demo,
  sample,
  generate,
  judge,
  planned(
    "review export",
    "Blind human-rating sheets for a judged run",
    "review export --run DIR --n N [--raters a,b] --out F",
  ),
  planned("review import", "Validate and import filled rating sheets", "review import F..."),
  planned(
    "review serve",
    "A local rating page for one human rater",
    "review serve --run DIR --rater NAME [--n 50] [--port P]",
  ),
  planned(
    "agreement",
    "Judge–human and human–human agreement per dimension",
    "agreement --run DIR --ratings F... [--threshold 0.8]",
  ),
  regress,
  regressAdd,
  compare,
  correlate,
  planned("report", "Self-contained HTML report with plots", "report --run DIR"),
  planned(
    "status",
    "What the rhythm says is due (human sample, monthly agreement, quarterly correlation, gate)",
    "status --runs DIR",
    false,
  ),
];
