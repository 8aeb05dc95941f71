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
import { reviewExport, reviewImport } from "./review.ts";
import { reviewServe } from "./review_serve.ts";
import { agreement } from "./agreement.ts";
import { importJudgments, importRatings } from "./import.ts";
import { report } from "./report.ts";
import { status } from "./status.ts";
import { cacheClearCommand, cacheInfoCommand } from "./cache.ts";
import { validity } from "./validity.ts";

/** The commands, built or planned. */
export const COMMANDS: readonly Command[] = [
  validate,
  demo,
  sample,
  generate,
  judge,
  reviewExport,
  reviewImport,
  reviewServe,
  importRatings,
  importJudgments,
  agreement,
  regress,
  regressAdd,
  compare,
  correlate,
  validity,
  report,
  status,
  cacheInfoCommand,
  cacheClearCommand,
];
