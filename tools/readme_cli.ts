/**
 * The README's CLI reference, generated from the commands themselves so it
 * cannot drift: `deno task readme` rewrites the part of README.md between
 * `<!-- cli:start -->` and `<!-- cli:end -->`; tests/readme_test.ts checks it.
 */
import { mainHelp } from "../lib/cli.ts";
import { commandHelp } from "../lib/cli/_command.ts";
import { COMMANDS } from "../lib/cli/commands.ts";

/** The generated CLI reference (Markdown). */
export function cliReference(): string {
  const parts = ["```text", "$ deno task evalkit --help", mainHelp(), "```", ""];
  for (const command of COMMANDS) {
    parts.push(`### \`evalkit ${command.name}\``, "", "```text", commandHelp(command), "```", "");
  }
  return parts.join("\n");
}

const START = "<!-- cli:start -->";
const END = "<!-- cli:end -->";

/** README text with its CLI reference replaced by the generated one. */
export function withCliReference(readme: string): string {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new RangeError(`README.md has no ${START} … ${END} section`);
  return readme.slice(0, a + START.length) + "\n\n" + cliReference() + "\n" + readme.slice(b);
}

if (import.meta.main) {
  const path = new URL("../README.md", import.meta.url);
  const before = await Deno.readTextFile(path);
  const after = withCliReference(before);
  if (after !== before) await Deno.writeTextFile(path, after);
  console.error(
    after === before ? "README.md: CLI reference up to date" : "README.md: CLI reference rewritten",
  );
}
