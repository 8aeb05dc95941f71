/**
 * The one way lib/ talks to a person: lines and progress on stderr (or any
 * sink), never on stdout, which `--json` keeps for the summary alone.
 *
 * @module
 */

/** Where human-readable text goes. */
export interface Reporter {
  /** A line of information. */
  info(message: string): void;
  /** A warning line, prefixed `warning: `. */
  warn(message: string): void;
  /** A progress line; on a terminal it overwrites the previous one. */
  progress(message: string): void;
  /** Every warning reported so far. */
  readonly warnings: readonly string[];
}

/** Options for {@link createReporter}. */
export interface ReporterOptions {
  /** Where lines go. @default a writer to stderr */
  write?: (text: string) => void;
  /** Print nothing (warnings are still collected). @default false */
  quiet?: boolean;
  /** Overwrite progress lines in place. @default whether stderr is a terminal */
  live?: boolean;
}

const encoder = new TextEncoder();

function writeStderr(text: string): void {
  Deno.stderr.writeSync(encoder.encode(text));
}

/**
 * A reporter writing to stderr (or `options.write`).
 *
 * @example
 * ```ts
 * import { createReporter } from "./reporter.ts";
 * const lines: string[] = [];
 * const r = createReporter({ write: (t) => lines.push(t) });
 * r.warn("stratum \"other\" has 3 rows");
 * if (r.warnings.length !== 1 || !lines[0].startsWith("warning: ")) throw new Error("unexpected");
 * ```
 */
export function createReporter(options: ReporterOptions = {}): Reporter {
  const write = options.write ?? writeStderr;
  const live = options.live ?? (options.write === undefined && Deno.stderr.isTerminal());
  const warnings: string[] = [];
  let pending = false;
  const line = (text: string) => {
    if (options.quiet) return;
    if (pending) write("\n");
    pending = false;
    write(text + "\n");
  };
  return {
    info: line,
    warn(message) {
      warnings.push(message);
      line(`warning: ${message}`);
    },
    progress(message) {
      if (options.quiet) return;
      if (live) {
        write(`\r\x1b[2K${message}`);
        pending = true;
      } else line(message);
    },
    get warnings() {
      return warnings;
    },
  };
}
