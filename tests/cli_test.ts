import assert from "node:assert/strict";
import { main } from "../lib/cli.ts";

const BAD = new URL("./fixtures/bad/", import.meta.url).pathname;
const CLI = new URL("../lib/cli.ts", import.meta.url).pathname;

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { code, stdout, stderr };
}

/** The real binary, as a user runs it: exit code and both streams. */
async function runProcess(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, ...args],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("evalkit --help lists every SPEC §3 command with a description", async () => {
  const { code, stdout } = await run(["--help"]);
  assert.equal(code, 0);
  for (
    const name of [
      "validate",
      "demo",
      "sample",
      "generate",
      "judge",
      "review export",
      "review import",
      "review serve",
      "agreement",
      "regress",
      "compare",
      "correlate",
      "report",
      "status",
    ]
  ) {
    assert.match(stdout, new RegExp(`^  ${name} +\\S`, "m"), `help lists ${name}`);
  }
});

Deno.test("evalkit with an unknown command or flag exits 2 with a usage line", async () => {
  const unknown = await run(["frobnicate"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /Unknown command "frobnicate"\nusage: /);
  assert.equal(unknown.stdout, "");
  const flag = await run(["validate", "--kind", "logs", "--frob", "x.jsonl"]);
  assert.equal(flag.code, 2);
  assert.match(flag.stderr, /Unknown option '--frob'\nusage: evalkit validate/);
  const none = await run([]);
  assert.equal(none.code, 2);
});

Deno.test("evalkit validate lists every bad line as file:line: field: problem and exits 2", async () => {
  const file = `${BAD}too_many_fields.csv`;
  const { code, stdout, stderr } = await run(["validate", "--kind", "ratings", file]);
  assert.equal(code, 2);
  assert.equal(stdout, "", "without --json nothing goes to stdout");
  assert.match(
    stderr,
    new RegExp(`^${file}:3: wrong number of fields: got 9, the header has 8$`, "m"),
  );
  assert.match(stderr, /2 valid records, 1 problem$/m);
});

Deno.test("evalkit validate --json prints one JSON object on stdout and nothing else", async () => {
  const { code, stdout } = await run([
    "validate",
    "--kind",
    "logs",
    "--json",
    `${BAD}wrong_type.jsonl`,
    `${BAD}crlf.jsonl`,
  ]);
  assert.equal(code, 2);
  const summary = JSON.parse(stdout);
  assert.equal(summary.ok, false);
  assert.deepEqual(summary.files.map((f: { problems: number }) => f.problems), [1, 0]);
  assert.deepEqual(summary.files[0].issues[0], {
    line: 2,
    field: "query",
    problem: "expected string, received number",
  });
});

Deno.test("evalkit validate accepts good files with exit 0 and --map for logs", async () => {
  const ok = await run(["validate", "--kind", "logs", `${BAD}crlf.jsonl`, `${BAD}bom.jsonl`]);
  assert.equal(ok.code, 0);
  const mapped = await run([
    "validate",
    "--kind",
    "logs",
    "--map",
    "id=question_id",
    "--map",
    "ts=asked_at",
    "--map",
    "query=question_text",
    `${BAD}mapped_logs.csv`,
  ]);
  assert.equal(mapped.code, 0, mapped.stderr);
  const badMap = await run(["validate", "--kind", "logs", "--map", "nonsense", `${BAD}crlf.jsonl`]);
  assert.equal(badMap.code, 2);
  assert.match(badMap.stderr, /Invalid --map "nonsense": expected field=column/);
});

Deno.test("every command in the help index is built, and its summary is its module's own", async () => {
  const { COMMAND_INDEX } = await import("../lib/cli/commands.ts");
  const help = await run(["--help"]);
  for (const entry of COMMAND_INDEX) {
    const command = await entry.load();
    assert.equal(command.name, entry.name);
    assert.equal(command.summary, entry.summary, `the index summary of "${entry.name}"`);
    assert.ok(command.run, `"${entry.name}" runs`);
    assert.ok(help.stdout.includes(`  ${entry.name} `), `help lists "${entry.name}"`);
  }
});

/** Modules reachable from `root` by static imports (type-only and dynamic imports left out). */
async function staticGraph(root: string): Promise<Set<string>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", new URL(root, import.meta.url).pathname],
    stdout: "piped",
    stderr: "null",
  }).output();
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    modules: {
      specifier: string;
      dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
    }[];
    redirects: Record<string, string>;
  };
  const bySpec = new Map(info.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const visit = (spec: string) => {
    const s = info.redirects[spec] ?? spec;
    if (seen.has(s)) return;
    seen.add(s);
    for (const d of bySpec.get(s)?.dependencies ?? []) {
      if (d.code && !d.isDynamic) visit(d.code.specifier);
    }
  };
  visit(new URL(root, import.meta.url).href);
  return seen;
}

Deno.test("evalkit --help loads no npm package: the CLI's static module graph holds none", async () => {
  const graph = await staticGraph("../lib/cli.ts");
  assert.ok(
    [...graph].some((s) => s.endsWith("/lib/cli/commands.ts")),
    "the walk reached the index",
  );
  const npm = [...graph].filter((s) => s.startsWith("npm:") || s.includes("/node_modules/"));
  assert.deepEqual(npm, []);
  // A command loads what it needs, and only then: judge brings openai, report brings Plot.
  const judge = await staticGraph("../lib/cli/judge.ts");
  assert.ok([...judge].some((s) => s.startsWith("npm:") && s.includes("openai")));
  const heavy = [...judge].filter((s) =>
    s.startsWith("npm:") && /duckdb|playwright|plot|linkedom/.test(s)
  );
  assert.deepEqual(heavy, [], "judge loads no DuckDB, Plot, linkedom or playwright");
  const help = await run(["--help"]);
  assert.equal(help.code, 0);
});

Deno.test("no command's module graph is built at start-up: Deno pre-builds literal dynamic imports, the index has none", async () => {
  // `deno info` lists what Deno builds before running lib/cli.ts: static imports and every
  // dynamic import with a string-literal specifier. Literal imports of the commands made each
  // command's start-up pay for the whole kit's graph (measured: 3.55× a bare client's
  // launch → first request, 2.14× without; BENCH_ONLY=startup deno task bench:judge).
  const info = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", new URL("../lib/cli.ts", import.meta.url).pathname],
    stdout: "piped",
    stderr: "null",
  }).output();
  assert.ok(info.success);
  const modules = (JSON.parse(new TextDecoder().decode(info.stdout)) as {
    modules: { specifier: string }[];
  }).modules.map((m) => m.specifier);
  assert.ok(modules.some((s) => s.endsWith("/lib/cli/commands.ts")));
  const commands = modules.filter((s) =>
    /\/lib\/cli\/(?!_)[a-z_]+\.ts$/.test(s) && !s.endsWith("/commands.ts")
  );
  assert.deepEqual(commands, [], "no command module");
  const heavy = modules.filter((s) => /openai|duckdb|playwright|plot|linkedom/.test(s));
  assert.deepEqual(heavy, []);
});

Deno.test("the judge loads at start-up only what an interactive JSONL run uses: no CSV parser or writer, no batch client, no other kinds' file schemas", async () => {
  // The runtime graph: static imports that carry code (type-only imports are erased and
  // dynamic ones wait until called). Each module named here was measured on the judge's
  // path from launch to its first request (BENCH_ONLY=startup deno task bench:judge).
  const info = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", new URL("../lib/cli/judge.ts", import.meta.url).pathname],
    stdout: "piped",
    stderr: "null",
  }).output();
  assert.ok(info.success);
  type Dep = { code?: { specifier: string }; isDynamic?: boolean };
  const graph = JSON.parse(new TextDecoder().decode(info.stdout)) as {
    roots: string[];
    modules: { specifier: string; dependencies?: Dep[] }[];
  };
  const deps = new Map(graph.modules.map((m) => [
    m.specifier,
    (m.dependencies ?? []).filter((d) => d.code && !d.isDynamic).map((d) => d.code!.specifier),
  ]));
  const loaded = new Set<string>();
  const stack = [...graph.roots];
  while (stack.length > 0) {
    const s = stack.pop()!;
    if (loaded.has(s)) continue;
    loaded.add(s);
    stack.push(...(deps.get(s) ?? []));
  }
  assert.ok([...loaded].some((s) => s.endsWith("/lib/judge/judge.ts")), "the walk found the judge");
  assert.ok([...loaded].some((s) => /^npm:\/?openai@/.test(s)), "and the openai client");
  const unwanted = [...loaded].filter((s) =>
    /csv-parse|csv-stringify|openai@[^/]*\/helpers|\/lib\/llm\/batch\.ts$|\/lib\/regress\/|\/lib\/correlate\/|\/lib\/artifact_kinds\.ts$/
      .test(s)
  );
  assert.deepEqual(unwanted, []);
});

Deno.test("evalkit as a process: exit codes and the stdout/stderr split are real", async () => {
  const bad = await runProcess(["validate", "--kind", "cases", "--json", `${BAD}empty.jsonl`]);
  assert.equal(bad.code, 2);
  assert.equal(JSON.parse(bad.stdout).ok, false);
  assert.match(bad.stderr, /empty\.jsonl: file is empty/);
  const help = await runProcess(["validate", "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^usage: evalkit validate --kind/);
});

Deno.test("evalkit validate --kind ratings accepts a later record for the same item in JSONL, not in CSV", async () => {
  const dir = await Deno.makeTempDir();
  const row = {
    item_id: "q1",
    rater: "ana",
    correctness: 3,
    relevance: 4,
    clarity: 4,
    calibration: 3,
    length: 5,
  };
  await Deno.writeTextFile(
    `${dir}/ratings_ana.jsonl`,
    JSON.stringify(row) + "\n" + JSON.stringify({ ...row, correctness: 4 }) + "\n",
  );
  assert.equal((await run(["validate", "--kind", "ratings", `${dir}/ratings_ana.jsonl`])).code, 0);
  const cols = "item_id,rater,correctness,relevance,clarity,calibration,length,notes";
  await Deno.writeTextFile(`${dir}/ana.csv`, `${cols}\nq1,ana,3,4,4,3,5,\nq1,ana,4,4,4,3,5,\n`);
  const csv = await run(["validate", "--kind", "ratings", `${dir}/ana.csv`]);
  assert.equal(csv.code, 2);
  assert.match(
    csv.stderr,
    /ana\.csv:3: item_id,rater: duplicate values "q1", "ana" \(first on line 2\)/,
  );
  await Deno.remove(dir, { recursive: true });
});
