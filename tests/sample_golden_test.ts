/**
 * Without `--oversample`, `evalkit sample` writes the same bytes as before the
 * feature: the hashes below were produced by the code on main before
 * oversampling was added (and before sampleLogs was split into steps), so any
 * change to the no-flag eval set files or to the emitted SQL fails here.
 */
import assert from "node:assert/strict";
import { main } from "../lib/cli.ts";
import { sha256 } from "../lib/_hash.ts";

const FIXTURES = new URL("./fixtures/sample/", import.meta.url).pathname;
const LOGS = `${FIXTURES}golden_logs.jsonl`;
const CASES = `${FIXTURES}golden_cases.jsonl`;
const MIX = { billing: 0.6, technical: 0.2, account: 0.1, other: 0.1 };

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

/** The paths of this checkout replaced, so the hash holds on any machine. */
function portable(text: string, dir: string): string {
  return text.replaceAll(FIXTURES, "<fixtures>/").replaceAll(dir, "<tmp>");
}

async function evalsetHashes(args: string[]): Promise<Record<string, string>> {
  const dir = await Deno.makeTempDir({ prefix: "evalkit-golden-" });
  try {
    await Deno.writeTextFile(`${dir}/mix.json`, JSON.stringify(MIX));
    const r = await cli([...args.map((a) => a.replace("<mix>", `${dir}/mix.json`)), "--out", dir]);
    assert.equal(r.code, 0, r.stderr);
    const [artifact] = [...Deno.readDirSync(dir)].filter((e) => e.name.startsWith("evalset-"));
    const out: Record<string, string> = {};
    for (const f of ["evalset.jsonl", "strata.json", "sample.sql"]) {
      out[f] = sha256(portable(await Deno.readTextFile(`${dir}/${artifact.name}/${f}`), dir));
    }
    return out;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function emittedHash(args: string[]): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "evalkit-golden-" });
  try {
    await Deno.writeTextFile(`${dir}/mix.json`, JSON.stringify(MIX));
    const r = await cli(args.map((a) => a.replace("<mix>", `${dir}/mix.json`)));
    assert.equal(r.code, 0, r.stderr);
    return sha256(portable(r.stdout, dir));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const WITH_MIX = ["sample", "--logs", LOGS, "--n", "120", "--seed", "golden", "--mix", "<mix>"];
const OBSERVED = [
  "sample",
  "--logs",
  LOGS,
  "--n",
  "80",
  "--seed",
  "7",
  "--since",
  "2026-06-10",
  "--until",
  "2026-08-20",
  "--exclude",
  CASES,
];

Deno.test("evalkit sample without --oversample writes the eval set bytes it wrote before", async () => {
  assert.deepEqual(await evalsetHashes(WITH_MIX), {
    "evalset.jsonl": "4246f77233f40497fa9a5daef861924259b50cf6ad4e854fc9885f5f717c5f7d",
    "strata.json": "e7145892d5ed44b8ec6c4539358fa94d9978d4abacd95f3afd391d523a141db7",
    "sample.sql": "591363d27bc7bb05f6e62ee8199b56296d6ce2150f6e8362d02250fae8c188d8",
  });
  assert.deepEqual(await evalsetHashes(OBSERVED), {
    "evalset.jsonl": "91b45c62374655e8bacfc2520b5690bf16499c4e3c499f65c248884750ef0bc3",
    "strata.json": "ba660f1a556e2ce1af124ab5a0bcfd67ab989e668233d06629b3b7b1d1e8f9bc",
    "sample.sql": "cf7525428bbe5c72293fe910bfeac9d5cd2ef57abe0a891a58e7138b12cdf9a1",
  });
});

Deno.test("evalkit sample --emit-sql without --oversample prints the SQL it printed before", async () => {
  const hashes = {
    duckdb: await emittedHash([...WITH_MIX, "--emit-sql", "duckdb"]),
    postgres: await emittedHash([...WITH_MIX, "--emit-sql", "postgres"]),
    postgres_observed: await emittedHash([...OBSERVED, "--emit-sql", "postgres"]),
    bigquery: await emittedHash([...OBSERVED, "--emit-sql", "bigquery"]),
  };
  assert.deepEqual(hashes, {
    duckdb: "591363d27bc7bb05f6e62ee8199b56296d6ce2150f6e8362d02250fae8c188d8",
    postgres: "d4dda3fc8447bd4b9ffa10266694d89c3007d4c2fbbef0c4128c9e930665a89a",
    postgres_observed: "d87c969eb8d2b3f6e79da488c7b4a035dce0cd4f418d9cabe001aeceecf92306",
    bigquery: "785ab75bf4a0ddb1b55884861f0a738760aac6c81f510887410625f750733fab",
  });
});
