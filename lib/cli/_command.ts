/**
 * The shape every CLI command has, and argument parsing shared by all of them.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { usageError } from "../_errors.ts";
import { LOG_FORMATS, type LogFormat } from "../io/formats/types.ts";
import type { Reporter } from "../reporter.ts";

/** One flag of a command. */
export interface Flag {
  type: "string" | "boolean";
  multiple?: boolean;
  /** With `multiple`: `--flag a b c` takes every value up to the next flag. */
  variadic?: boolean;
  /** The value's placeholder in help, e.g. `DIR`. */
  value?: string;
  description: string;
  default?: string | boolean;
}

/** What a command's `run` receives. */
export interface CommandContext {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  reporter: Reporter;
  json: boolean;
}

/** What a command's `run` returns: its `--json` summary and its exit code. */
export interface CommandResult {
  summary: Record<string, unknown>;
  /** 0 ok, 1 a gate failed, 2 bad input found (e.g. by `validate`). @default 0 */
  exitCode?: 0 | 1 | 2;
  /** Text for stdout when not `--json` (e.g. `--emit-sql`). */
  stdout?: string;
}

/** A command of the `evalkit` CLI. */
export interface Command {
  /** `"validate"`, or `"review export"` for a subcommand. */
  name: string;
  /** One line for `evalkit --help`. */
  summary: string;
  /** The synopsis after `evalkit`, e.g. `validate --kind KIND FILE...`. */
  usage: string;
  flags: Record<string, Flag>;
  /** Positional arguments' placeholder (e.g. `FILE...`); none accepted when absent. */
  positionals?: string;
  /** Whether the command writes artifacts (it then takes `--out DIR`, default `runs`). */
  writes?: boolean;
  /** Absent while the command is not yet built. */
  run?: (ctx: CommandContext) => Promise<CommandResult>;
}

const COMMON: Record<string, Flag> = {
  help: { type: "boolean", description: "Show this help" },
  json: { type: "boolean", description: "Print one JSON summary on stdout (text goes to stderr)" },
  quiet: { type: "boolean", description: "No progress or information on stderr" },
};

const OUT: Record<string, Flag> = {
  out: { type: "string", value: "DIR", description: "Where artifacts go", default: "runs" },
};

/** Every flag a command accepts, its own and the common ones. */
export function allFlags(command: Command): Record<string, Flag> {
  return { ...command.flags, ...(command.writes ? OUT : {}), ...COMMON };
}

/** Parse a command's arguments. @throws {RangeError} A usage error naming the bad flag. */
export function parseCommandArgs(
  command: Command,
  args: string[],
): { values: CommandContext["values"]; positionals: string[] } {
  const flags = allFlags(command);
  const options: Record<string, { type: "string" | "boolean"; multiple?: boolean }> = {};
  for (const [name, flag] of Object.entries(flags)) {
    options[name] = { type: flag.type, ...(flag.multiple ? { multiple: true } : {}) };
  }
  const expanded: string[] = [];
  let variadic: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const name = arg.replace(/^--?/, "");
    if (
      arg.startsWith("--") && flags[name]?.type === "string" && /^-\d/.test(args[i + 1] ?? "")
    ) {
      // A negative number is a value, not a flag: let the command say it is out of range.
      expanded.push(`${arg}=${args[++i]}`);
      variadic = undefined;
      continue;
    }
    if (arg.startsWith("-")) {
      const name = arg.replace(/^--?/, "").split("=")[0];
      variadic = flags[name]?.variadic && !arg.includes("=") ? name : undefined;
      expanded.push(arg);
    } else if (variadic && expanded[expanded.length - 1] !== `--${variadic}`) {
      expanded.push(`--${variadic}`, arg);
    } else expanded.push(arg);
  }
  let parsed;
  try {
    parsed = parseArgs({ args: expanded, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw usageError(
      `${(e as Error).message.replace(/\. To specify.*$/s, "")}\nusage: evalkit ${command.usage}`,
    );
  }
  const values = { ...parsed.values } as CommandContext["values"];
  for (const [name, flag] of Object.entries(flags)) {
    if (values[name] === undefined && flag.default !== undefined) values[name] = flag.default;
  }
  if (!command.positionals && parsed.positionals.length > 0 && !values.help) {
    throw usageError(
      `Unexpected argument "${parsed.positionals[0]}"\nusage: evalkit ${command.usage}`,
    );
  }
  return { values, positionals: parsed.positionals };
}

/** The `--help` text of one command. */
export function commandHelp(command: Command): string {
  const lines = [`usage: evalkit ${command.usage}`, "", command.summary, "", "Flags:"];
  for (const [name, flag] of Object.entries(allFlags(command))) {
    const head = `  --${name}${flag.value ? ` ${flag.value}` : ""}${
      flag.multiple ? " (repeatable)" : ""
    }`;
    const def = flag.default !== undefined && flag.default !== false
      ? ` (default: ${flag.default})`
      : "";
    lines.push(`${head.padEnd(30)} ${flag.description}${def}`);
  }
  lines.push("", "Exit codes: 0 ok, 1 a gate failed, 2 bad usage or bad input");
  return lines.join("\n");
}

/** A string flag's value, or a usage error when it is required and absent. */
export function requireString(ctx: CommandContext, name: string, command: Command): string {
  const v = ctx.values[name];
  if (typeof v !== "string" || v === "") {
    throw usageError(`Missing required flag --${name}\nusage: evalkit ${command.usage}`);
  }
  return v;
}

/** Parse `--map field=column` pairs into `{ field: column }`. */
export function parseMap(pairs: readonly string[] | undefined): Record<string, string> {
  const map: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const m = /^([A-Za-z_][\w]*)=(.+)$/.exec(pair);
    if (!m) throw usageError(`Invalid --map "${pair}": expected field=column`);
    map[m[1]] = m[2];
  }
  return map;
}

/** `--feedback-down-below X`: a finite number, or undefined when absent. */
export function feedbackThreshold(raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  const x = Number(raw);
  if (typeof raw !== "string" || raw.trim() === "" || !Number.isFinite(x)) {
    throw usageError(`Invalid --feedback-down-below "${raw}": expected a number`);
  }
  return x;
}

/** A positive integer flag, or a usage error naming the flag and value. */
export function positiveInt(ctx: CommandContext, name: string, command: Command): number {
  const raw = requireString(ctx, name, command);
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1) {
    throw usageError(`Invalid --${name} "${raw}": expected a positive integer`);
  }
  return Number(raw);
}

/** A repeatable flag's values (empty when absent). */
export function strings(ctx: CommandContext, name: string): string[] {
  const v = ctx.values[name];
  return Array.isArray(v) ? v : typeof v === "string" ? [v] : [];
}

/** A `--format` value for logs, checked. */
export function logFormatFlag(raw: unknown): LogFormat | "auto" {
  const v = String(raw ?? "evalkit");
  if (!LOG_FORMATS.includes(v as LogFormat)) {
    throw usageError(`Unknown --format "${v}": expected one of ${LOG_FORMATS.join(", ")}`);
  }
  return v as LogFormat | "auto";
}
