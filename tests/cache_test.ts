/**
 * The user-level cache: one cache for every --out ($EVALKIT_CACHE_DIR, else
 * $XDG_CACHE_HOME/evalkit, else ~/.cache/evalkit), safe for two writers at
 * once, counted in the summary, and `evalkit cache info|clear`. Every run is a
 * child process with its own EVALKIT_CACHE_DIR, against the local test server.
 */
import assert from "node:assert/strict";
import type { EvalItem, Response } from "../lib/schemas.ts";
import { userCacheDir } from "../lib/llm/cache.ts";
import { withServer, writeInputs } from "../lib/testing/fixtures.ts";

const CLI = new URL("../lib/cli.ts", import.meta.url).pathname;

async function setup(n: number) {
  const root = await Deno.makeTempDir({ prefix: "evalkit-cache-" });
  const items = Array.from({ length: n }, (_, i) =>
    ({
      id: `item-${i + 1}`,
      query: `How do I export invoice INV-${2000 + i} as PDF?`,
      stratum: "billing",
      source_id: `log-${i}`,
    }) as EvalItem);
  const responses: Response[] = items.map((item, i) => ({
    item_id: item.id,
    model: "mistral-small-ledgerly-v2",
    response: `Answer ${i}: open the invoice and choose Export > PDF.`,
    latency_ms: 10,
    usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 },
  }));
  const inputs = await writeInputs(root, items, responses);
  return { root, cache: `${root}/user-cache`, ...inputs, gen: inputs.gen! };
}

async function evalkit(args: string[], env: Record<string, string>) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, ...args, "--json"],
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  return {
    code: out.code,
    stderr: new TextDecoder().decode(out.stderr),
    json: (stdout ? JSON.parse(stdout) : {}) as Record<string, unknown>,
  };
}

Deno.test("userCacheDir() is $EVALKIT_CACHE_DIR, else $XDG_CACHE_HOME/evalkit, else ~/.cache/evalkit", () => {
  const env = (vars: Record<string, string>) => (n: string) => vars[n];
  assert.equal(
    userCacheDir(env({ EVALKIT_CACHE_DIR: "/c/", XDG_CACHE_HOME: "/x", HOME: "/h" })),
    "/c",
  );
  assert.equal(userCacheDir(env({ XDG_CACHE_HOME: "/x", HOME: "/h" })), "/x/evalkit");
  assert.equal(userCacheDir(env({ HOME: "/h" })), "/h/.cache/evalkit");
  assert.throws(() => userCacheDir(env({})), RangeError);
});

Deno.test("a rerun into another --out makes zero requests: the user-level cache serves judge and generate, byte for byte", async () => {
  const t = await setup(6);
  await withServer({}, async (server) => {
    const env = { EVALKIT_CACHE_DIR: t.cache, OPENAI_BASE_URL: server.url, OPENAI_API_KEY: "k" };
    const judge = (out: string) =>
      evalkit([
        "judge",
        "--evalset",
        t.evalset,
        "--responses",
        t.gen,
        "--judge",
        "gpt-4o",
        "--out",
        out,
      ], env);
    const first = await judge(`${t.root}/a`);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.json.requests, 6);
    assert.equal(first.json.cache_misses, 6);
    const logged = server.log.length;
    const second = await judge(`${t.root}/b`);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(server.log.length, logged, "no request reached the server");
    assert.equal(second.json.requests, 0);
    assert.equal(second.json.cache_hits, 6);
    assert.equal(second.json.cache_misses, 0);
    assert.match(second.stderr, /cache {5}6 hits, 0 misses/);
    assert.deepEqual(
      await Deno.readFile(`${second.json.artifact}/judgments.jsonl`),
      await Deno.readFile(`${first.json.artifact}/judgments.jsonl`),
    );

    const generate = (out: string) =>
      evalkit(["generate", "--evalset", t.evalset, "--model", "m-under-test", "--out", out], env);
    const g1 = await generate(`${t.root}/a`);
    assert.equal(g1.code, 0, g1.stderr);
    const before = server.log.length;
    const g2 = await generate(`${t.root}/c`);
    assert.equal(g2.code, 0, g2.stderr);
    assert.equal(server.log.length, before, "generate: no request reached the server");
    assert.equal(g2.json.cache_hits, 6);

    const off = await evalkit([
      "judge",
      "--evalset",
      t.evalset,
      "--responses",
      t.gen,
      "--judge",
      "gpt-4o",
      "--out",
      `${t.root}/d`,
      "--no-cache",
    ], env);
    assert.equal(off.code, 0, off.stderr);
    assert.equal(off.json.requests, 6, "--no-cache asks again");
  });
});

Deno.test("two processes writing the same cache at once both finish, and every entry is whole", async () => {
  const t = await setup(24);
  await withServer({ latencyMs: 5 }, async (server) => {
    const env = { EVALKIT_CACHE_DIR: t.cache, OPENAI_BASE_URL: server.url, OPENAI_API_KEY: "k" };
    const run = (out: string) =>
      evalkit([
        "judge",
        "--evalset",
        t.evalset,
        "--responses",
        t.gen,
        "--judge",
        "gpt-4o",
        "--out",
        out,
      ], env);
    const [a, b] = await Promise.all([run(`${t.root}/p`), run(`${t.root}/q`)]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.deepEqual(
      await Deno.readFile(`${a.json.artifact}/judgments.jsonl`),
      await Deno.readFile(`${b.json.artifact}/judgments.jsonl`),
    );
    const info = await evalkit(["cache", "info"], env);
    assert.equal(info.code, 0, info.stderr);
    assert.equal(info.json.entries, 24);
    const leftovers: string[] = [];
    for await (const shard of Deno.readDir(`${t.cache}/judge`)) {
      for await (const f of Deno.readDir(`${t.cache}/judge/${shard.name}`)) {
        if (!f.name.endsWith(".json")) leftovers.push(f.name);
        else JSON.parse(await Deno.readTextFile(`${t.cache}/judge/${shard.name}/${f.name}`));
      }
    }
    assert.deepEqual(leftovers, [], "no temp file left behind");
  });
});

Deno.test("evalkit cache info counts entries per kind; cache clear --older-than keeps fresh ones, cache clear removes all", async () => {
  const t = await setup(4);
  await withServer({}, async (server) => {
    const env = { EVALKIT_CACHE_DIR: t.cache, OPENAI_BASE_URL: server.url, OPENAI_API_KEY: "k" };
    const judge = (out: string) =>
      evalkit([
        "judge",
        "--evalset",
        t.evalset,
        "--responses",
        t.gen,
        "--judge",
        "gpt-4o",
        "--out",
        out,
      ], env);
    assert.equal((await judge(`${t.root}/a`)).code, 0);
    const info = await evalkit(["cache", "info"], env);
    assert.equal(info.json.dir, t.cache);
    assert.deepEqual((info.json.kinds as Record<string, { entries: number }>).judge.entries, 4);
    const old = await evalkit(["cache", "clear", "--older-than", "1d"], env);
    assert.deepEqual([old.json.removed, old.json.kept], [0, 4]);
    const bad = await evalkit(["cache", "clear", "--older-than", "soon"], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Invalid --older-than "soon"/);
    const all = await evalkit(["cache", "clear"], env);
    assert.deepEqual([all.json.removed, all.json.kept], [4, 0]);
    const again = await judge(`${t.root}/b`);
    assert.equal(again.json.requests, 4, "a cleared cache is asked again");
  });
});
