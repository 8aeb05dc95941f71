import { formatIssueShort, usageError } from "../_errors.ts";
import { type Kind, KINDS } from "../schemas.ts";
import { validateFiles } from "../validate.ts";
import { LOG_FORMATS } from "../io/formats/mod.ts";
import {
  type Command,
  feedbackThreshold,
  logFormatFlag,
  parseMap,
  requireString,
} from "./_command.ts";

/** `evalkit validate`: check files against their schema. */
export const validate: Command = {
  name: "validate",
  summary: "Check files against their schema; reports every bad line, not only the first",
  usage: "validate --kind logs|evalset|responses|judgments|ratings|cases|releases FILE...",
  positionals: "FILE...",
  flags: {
    kind: { type: "string", value: "KIND", description: "The record kind of every FILE" },
    map: {
      type: "string",
      multiple: true,
      value: "FIELD=COLUMN",
      description: "For logs: read FIELD from another column name",
    },
    format: {
      type: "string",
      value: "NAME",
      description: `For logs: the export format (${LOG_FORMATS.join(", ")})`,
      default: "evalkit",
    },
    "feedback-key": {
      type: "string",
      value: "NAME",
      description: "For exported logs: the feedback/score name that holds the user's feedback",
    },
    "feedback-down-below": {
      type: "string",
      value: "X",
      description: 'For logs: read numeric feedback as a rating, below X is "down"',
    },
    "max-issues": {
      type: "string",
      value: "N",
      description: "Problems listed per file",
      default: "100",
    },
  },
  async run(ctx) {
    const kind = requireString(ctx, "kind", validate);
    if (!(kind in KINDS)) {
      throw usageError(
        `Unknown --kind "${kind}": expected one of ${Object.keys(KINDS).join(", ")}`,
      );
    }
    if (ctx.positionals.length === 0) {
      throw usageError(`No files given\nusage: evalkit ${validate.usage}`);
    }
    const maxIssues = Number(ctx.values["max-issues"]);
    if (!Number.isInteger(maxIssues) || maxIssues < 1) {
      throw usageError(
        `Invalid --max-issues "${ctx.values["max-issues"]}": expected a positive integer`,
      );
    }
    const logFormat = logFormatFlag(ctx.values.format);
    const report = await validateFiles(kind as Kind, ctx.positionals, {
      map: parseMap(ctx.values.map as string[] | undefined),
      maxIssues,
      feedbackDownBelow: feedbackThreshold(ctx.values["feedback-down-below"]),
      logFormat,
      feedbackKey: ctx.values["feedback-key"] as string | undefined,
    });
    for (const file of report.files) {
      for (const w of file.warnings) ctx.reporter.warn(w);
      for (const issue of file.issues) ctx.reporter.info(formatIssueShort(issue));
      const cut = file.issueCount - file.issues.length;
      if (cut > 0) ctx.reporter.info(`${file.file}: ... and ${cut} more problems`);
      ctx.reporter.info(
        `${file.file}: ${file.records} valid records, ${file.issueCount} problem${
          file.issueCount === 1 ? "" : "s"
        }`,
      );
    }
    return {
      summary: {
        kind: report.kind,
        ok: report.ok,
        files: report.files.map((f) => ({
          file: f.file,
          records: f.records,
          problems: f.issueCount,
          warnings: f.warnings,
          issues: f.issues.map((i) => ({
            line: i.line,
            field: i.field ?? null,
            problem: i.problem,
          })),
        })),
      },
      exitCode: report.ok ? 0 : 2,
    };
  },
};
