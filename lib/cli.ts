/**
 * The `evalkit` command line (SPEC §3): a thin layer of argument parsing over lib.
 *
 * `--json` prints one JSON object on stdout and nothing else there; text and
 * progress go to stderr. Exit codes: 0 ok, 1 a gate failed, 2 bad usage or
 * bad input, 3 an internal error (a bug: please report it).
 *
 * @module
 */
import { formatIssue, inputIssues } from "./_errors.ts";
import { createReporter } from "./reporter.ts";
import { type Command, commandHelp, parseCommandArgs } from "./cli/_command.ts";
import { COMMAND_INDEX, type CommandEntry } from "./cli/commands.ts";
import { EndpointError } from "./llm/failure.ts";

/** What one CLI invocation printed and returned (for tests and embedding). */
export interface CliOutcome {
  code: number;
}

/** Options for {@link main}. */
export interface MainOptions {
  /** Where stdout text goes. @default Deno.stdout */
  stdout?: (text: string) => void;
  /** Where stderr text goes. @default Deno.stderr */
  stderr?: (text: string) => void;
}

const encoder = new TextEncoder();

function writeAllSync(file: { writeSync(p: Uint8Array): number }, text: string): void {
  let bytes = encoder.encode(text);
  while (bytes.length > 0) bytes = bytes.subarray(file.writeSync(bytes));
}

/** The top-level `--help` text: every command with its one-line description. */
export function mainHelp(): string {
  const width = Math.max(...COMMAND_INDEX.map((c) => c.name.length)) + 2;
  const lines = [
    "evalkit — LLM evals that predict production",
    "",
    "usage: deno task evalkit <command> [flags]   (evalkit <command> --help for its flags)",
    "",
    "Commands:",
    ...COMMAND_INDEX.map((c) => `  ${c.name.padEnd(width)} ${c.summary}`),
    "",
    "Every command takes --help and --json; commands that write take --out DIR (default runs/).",
    "Exit codes: 0 ok, 1 a gate failed, 2 bad usage or bad input, 3 internal error.",
  ];
  return lines.join("\n");
}

function findCommand(args: string[]): { entry?: CommandEntry; rest: string[] } {
  const two = args.slice(0, 2).join(" ");
  const byTwo = COMMAND_INDEX.find((c) => c.name === two);
  if (byTwo) return { entry: byTwo, rest: args.slice(2) };
  const byOne = COMMAND_INDEX.find((c) => c.name === args[0]);
  return { entry: byOne, rest: args.slice(1) };
}

/**
 * Run the CLI on `args` and return the exit code (the caller exits).
 *
 * @param args The arguments after `evalkit`.
 * @param options Where stdout and stderr go.
 */
export async function main(args: string[], options: MainOptions = {}): Promise<number> {
  const out = options.stdout ?? ((t: string) => writeAllSync(Deno.stdout, t));
  const err = options.stderr ?? ((t: string) => writeAllSync(Deno.stderr, t));
  const json = args.includes("--json");

  if (args.length === 0 || args[0] === "--help" || args[0] === "-h" || args[0] === "help") {
    out(mainHelp() + "\n");
    return args.length === 0 ? 2 : 0;
  }
  const { entry, rest } = findCommand(args);
  if (!entry) {
    const group = COMMAND_INDEX.filter((c) => c.name.startsWith(args[0] + " "));
    const hint = group.length
      ? `"${args[0]}" needs a subcommand: ${group.map((c) => c.name).join(", ")}`
      : `Unknown command "${args[0]}"`;
    err(`${hint}\nusage: deno task evalkit <command> [flags] (see --help)\n`);
    if (json) out(JSON.stringify({ error: { message: hint, exit_code: 2 } }) + "\n");
    return 2;
  }

  const reporter = createReporter({
    write: options.stderr,
    quiet: args.includes("--quiet"),
  });
  try {
    const command: Command = await entry.load();
    if (rest.includes("--help") || rest.includes("-h")) {
      out(commandHelp(command) + "\n");
      return 0;
    }
    if (!command.run) {
      throw Object.assign(new Error(`"${command.name}" is not yet built`), { notBuilt: true });
    }
    const { values, positionals } = parseCommandArgs(command, rest);
    const result = await command.run({ values, positionals, reporter, json });
    const summary = reporter.warnings.length && !("warnings" in result.summary)
      ? { ...result.summary, warnings: reporter.warnings }
      : result.summary;
    if (json) out(JSON.stringify(summary) + "\n");
    else if (result.stdout !== undefined) {
      out(result.stdout.endsWith("\n") ? result.stdout : result.stdout + "\n");
    }
    return result.exitCode ?? 0;
  } catch (e) {
    if (e instanceof EndpointError) return endpointFailure(e, json, out, err);
    const issues = inputIssues(e);
    const notBuilt = (e as { notBuilt?: boolean }).notBuilt === true;
    const message = (e as Error).message;
    if (issues !== undefined || notBuilt || e instanceof Error && /^Refusing/.test(message)) {
      if (issues && issues.length > 1) {
        for (const issue of issues) err(formatIssue(issue) + "\n");
      } else err(message + "\n");
      if (json) {
        out(
          JSON.stringify({
            error: {
              message: message.split("\n")[0],
              exit_code: 2,
              issues: (issues ?? []).map((i) => ({
                file: i.file,
                line: i.line,
                field: i.field ?? null,
                problem: i.problem,
              })),
            },
          }) + "\n",
        );
      }
      return 2;
    }
    err(`internal error: ${(e as Error).stack ?? e}\n`);
    if (json) out(JSON.stringify({ error: { message, exit_code: 3 } }) + "\n");
    return 3;
  }
}

/** An endpoint that refused the run: say what failed, where, and exit 1 (the journal is kept). */
function endpointFailure(
  e: EndpointError,
  json: boolean,
  out: (t: string) => void,
  err: (t: string) => void,
): number {
  err(
    `${e.message}\nnothing judged or generated was lost: rerun the same command once it is fixed\n`,
  );
  if (json) {
    out(
      JSON.stringify({
        error: {
          message: e.message,
          exit_code: 1,
          failure: { reason: e.reason, status: e.status, host: e.host },
        },
      }) + "\n",
    );
  }
  return 1;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
