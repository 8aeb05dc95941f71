import assert from "node:assert/strict";
import type { Command } from "./_command.ts";
import { artifactLine, exactlyOne } from "./_steps.ts";

const command: Command = { name: "x", summary: "", usage: "x (--a | --b)", flags: {} };

Deno.test("exactlyOne() passes one given flag and refuses none or several with the usage line", () => {
  exactlyOne([false, true, false], "Pass one of --a and --b", command);
  for (const given of [[false, false], [true, true], [true, true, true]]) {
    assert.throws(() => exactlyOne(given, "Pass one of --a and --b", command), {
      name: "RangeError",
      message: "Pass one of --a and --b\nusage: evalkit x (--a | --b)",
    });
  }
});

Deno.test("artifactLine() names the folder and says when an identical artifact was kept", () => {
  assert.equal(artifactLine("runs/gate-1", false), "artifact  runs/gate-1");
  assert.equal(artifactLine("runs/gate-1", true), "artifact  runs/gate-1 (identical, kept)");
});
