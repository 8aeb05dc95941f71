/**
 * The README's CLI reference, generated from the commands themselves so it
 * cannot drift: `deno task readme` rewrites the part of README.md between
 * `<!-- cli:start -->` and `<!-- cli:end -->`; tests/readme_test.ts checks it.
 */
import { mainHelp } from "../lib/cli.ts";
import { commandHelp } from "../lib/cli/_command.ts";
import { loadCommands } from "../lib/cli/commands.ts";

/** The generated CLI reference (Markdown). */
export async function cliReference(): Promise<string> {
  const parts = ["```text", "$ deno task evalkit --help", mainHelp(), "```", ""];
  for (const command of await loadCommands()) {
    parts.push(`### \`evalkit ${command.name}\``, "", "```text", commandHelp(command), "```", "");
  }
  return parts.join("\n");
}

const START = "<!-- cli:start -->";
const END = "<!-- cli:end -->";

/** README text with its CLI reference replaced by the generated one. */
export async function withCliReference(readme: string): Promise<string> {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new RangeError(`README.md has no ${START} … ${END} section`);
  return readme.slice(0, a + START.length) + "\n\n" + await cliReference() + "\n" + readme.slice(b);
}

if (import.meta.main) {
  const path = new URL("../README.md", import.meta.url);
  const before = await Deno.readTextFile(path);
  const after = await withCliReference(before);
  if (after !== before) await Deno.writeTextFile(path, after);
  console.error(
    after === before ? "README.md: CLI reference up to date" : "README.md: CLI reference rewritten",
  );
}
