import assert from "node:assert/strict";

const CLI = new URL("../lib/cli.ts", import.meta.url).pathname;

async function files(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const rel = prefix + e.name;
    if (e.isDirectory) out.push(...await files(`${dir}/${e.name}`, rel + "/"));
    else out.push(rel);
  }
  return out.sort();
}

/** The demo as a user runs it, from `cwd`, writing to `cwd/runs`. */
async function demo(cwd: string) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, "demo", "--out", "runs", "--json"],
    cwd,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("evalkit demo runs offline, says what each step did, and reruns byte-identically", async () => {
  const a = await Deno.makeTempDir({ prefix: "evalkit-demo-a-" });
  const b = await Deno.makeTempDir({ prefix: "evalkit-demo-b-" });
  try {
    const first = await demo(a);
    assert.equal(first.code, 0, first.stderr);
    const summary = JSON.parse(first.stdout);
    for (const step of ["load", "sample", "generate", "judge", "gate", "compare", "correlate"]) {
      assert.match(first.stderr, new RegExp(`^${step} +\\S`, "m"), `says what ${step} did`);
    }
    assert.match(
      first.stderr,
      /^sample +200 of \d+ distinct queries, account 20\/20, billing 120\/120/m,
    );
    const second = await demo(b);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout, first.stdout, "the same summary");
    const listA = await files(`${a}/runs`);
    assert.deepEqual(await files(`${b}/runs`), listA);
    for (const dir of summary.artifacts as string[]) {
      assert.ok(
        listA.some((f) => f.startsWith(dir.replace(/^runs\//, "") + "/")),
        `${dir} written`,
      );
    }
    for (const f of listA) {
      const [x, y] = [
        await Deno.readTextFile(`${a}/runs/${f}`),
        await Deno.readTextFile(`${b}/runs/${f}`),
      ];
      if (f.endsWith("manifest.json")) {
        const strip = (t: string) => ({ ...JSON.parse(t), created_at: null });
        assert.deepEqual(strip(y), strip(x), `${f} differs beyond created_at`);
      } else assert.equal(y, x, `${f} differs`);
    }
  } finally {
    await Deno.remove(a, { recursive: true });
    await Deno.remove(b, { recursive: true });
  }
});
