import assert from "node:assert/strict";
import { withCliReference } from "../tools/readme_cli.ts";

const README = new URL("../README.md", import.meta.url);

Deno.test("README shows the two-command quick start", async () => {
  const text = await Deno.readTextFile(README);
  assert.match(text, /^npx -y deno@2\.9\.6 task demo$/m);
  assert.match(text, /^npx -y deno@2\.9\.6 task test$/m);
});

Deno.test("README's CLI reference matches the commands' own help (deno task readme)", async () => {
  const text = await Deno.readTextFile(README);
  const fmt = async (md: string) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["fmt", "--ext", "md", "-"],
      stdin: "piped",
      stdout: "piped",
    }).spawn();
    const w = out.stdin.getWriter();
    await w.write(new TextEncoder().encode(md));
    await w.close();
    return new TextDecoder().decode((await out.output()).stdout);
  };
  assert.equal(await fmt(await withCliReference(text)), text, "run `deno task readme`");
});
