import assert from "node:assert/strict";
import { exportsWithoutExamples } from "../tools/mod_examples.ts";

Deno.test("every value export of lib/mod.ts has an @example that deno test --doc runs", () => {
  const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
  const before = Deno.cwd();
  Deno.chdir(root);
  try {
    const { checked, missing } = exportsWithoutExamples(`${root}/lib/mod.ts`);
    assert.ok(checked > 200, `only ${checked} exports found: the module graph did not resolve`);
    assert.deepEqual(missing, []);
  } finally {
    Deno.chdir(before);
  }
});
