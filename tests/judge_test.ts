/**
 * Integration tests of `evalkit judge`: every one talks over HTTP to the local
 * OpenAI-compatible test server (lib/testing/openai_server.ts), never a live API.
 */
import assert from "node:assert/strict";
import { sha256 } from "../lib/_hash.ts";
import { readManifest, writeArtifact } from "../lib/artifacts.ts";
import { toJsonl } from "../lib/io/write.ts";
import { type EvalItem, Judgment, type Response } from "../lib/schemas.ts";
import { escapeData, loadPrompt } from "../lib/judge/prompt.ts";
import { judgeItems } from "../lib/judge/judge.ts";
import { readJudgeRun } from "../lib/judge/run.ts";
import { ADVERSARIAL } from "../lib/judge/_fixtures.ts";
import { randomFaults, scoresFor } from "../lib/testing/openai_server.ts";
import { missingKeys, runCliJson } from "../lib/testing/cli.ts";
import { endpointArgs, withServer, writeInputs } from "../lib/testing/fixtures.ts";

const CLI = new URL("../lib/cli.ts", import.meta.url).pathname;
const PROMPT = await loadPrompt();

/** `n` eval items: every third multi-turn, every other with reference facts, each with a prod response. */
function makeItems(n: number, prodModel = "mistral-small-ledgerly-v1"): EvalItem[] {
  return Array.from({ length: n }, (_, i) => {
    const id = `item-${String(i + 1).padStart(3, "0")}`;
    const base = i % 3 === 2
      ? {
        messages: [
          { role: "user" as const, content: `How do I void invoice INV-${1000 + i}?` },
          { role: "assistant" as const, content: "Open it and choose More > Void." },
          { role: "user" as const, content: "and if its already paid?" },
        ],
      }
      : { query: `How do I refund client ${i} who paid twice?` };
    return {
      id,
      ...base,
      stratum: i % 4 === 0 ? "technical" : "billing",
      source_id: `log-${i + 1}`,
      ...(i % 2 === 0 ? { reference: ["Refunds are issued with Payments > Refund"] } : {}),
      response: `Prod answer ${i}: use Payments > Refund.`,
      model: prodModel,
    } as EvalItem;
  });
}

function makeResponses(items: EvalItem[], model = "mistral-small-ledgerly-v2"): Response[] {
  return items.map((item, i) => ({
    item_id: item.id,
    model,
    response:
      `Answer ${i}: open the payment and choose Payments > Refund. Partial refunds are supported.`,
    latency_ms: 100 + i,
    usage: { prompt_tokens: 50, completion_tokens: 20, total_tokens: 70 },
  }));
}

async function setup(n: number, options: { responses?: (items: EvalItem[]) => Response[] } = {}) {
  const root = await Deno.makeTempDir({ prefix: "evalkit-judge-" });
  const items = makeItems(n);
  const responses = (options.responses ?? makeResponses)(items);
  const { evalset, gen } = await writeInputs(root, items, responses);
  return { root, out: `${root}/runs`, items, responses, evalset, gen: gen! };
}

const cli = runCliJson;

async function readJudgments(dir: string): Promise<Judgment[]> {
  const text = await Deno.readTextFile(`${dir}/judgments.jsonl`);
  return text.trimEnd().split("\n").map((l) => Judgment.parse(JSON.parse(l)));
}

/** Every file under a folder, recursively. */
async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) out.push(...await allFiles(path));
    else out.push(path);
  }
  return out;
}

Deno.test("evalkit judge scores every item through an OpenAI-compatible endpoint and writes a judge artifact", async () => {
  const t = await setup(12);
  await withServer({}, async (server) => {
    const r = await cli([
      "judge",
      "--evalset",
      t.evalset,
      "--responses",
      t.gen,
      "--judge",
      "gpt-4o",
      ...endpointArgs(server, t.out),
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(missingKeys(r.json), []);
    assert.equal(r.json.items, 12);
    assert.equal(r.json.ok, 12);
    assert.equal(r.json.failed, 0);
    assert.equal(r.json.requests, 12);
    assert.equal(server.chatRequests(), 12);
    assert.ok((r.json.cost_usd as number) > 0);
    const dir = r.json.artifact as string;
    assert.match(dir, /\/judge-[0-9a-f]{12}$/);
    const judgments = await readJudgments(dir);
    assert.deepEqual(judgments.map((j) => j.item_id), t.items.map((i) => i.id), "eval-set order");
    for (const [i, j] of judgments.entries()) {
      assert.equal(j.status, "ok");
      assert.equal(j.judge_model, "gpt-4o");
      assert.equal(j.prompt_sha256, PROMPT.sha256);
      assert.deepEqual(j.scores, scoresFor(t.responses[i].response));
      assert.ok(j.usage.prompt_tokens > 0);
    }
    // Structured outputs and the seed were asked for.
    assert.ok(
      server.log.filter((l) => l.path === "/v1/chat/completions").every((l) => l.jsonSchema),
    );
    const manifest = await readManifest(dir);
    assert.equal(manifest.kind, "judge");
    const meta = manifest.meta as Record<string, unknown>;
    assert.equal(meta.judge_model, "gpt-4o");
    assert.equal(meta.prompt_sha256, PROMPT.sha256);
    assert.equal(meta.judge_family, "openai");
    assert.deepEqual(meta.model_family, { "mistral-small-ledgerly-v2": "mistral" });
    assert.equal(meta.self_judged, false);
    assert.equal(meta.source, "responses");
    assert.ok((meta.cost_usd as number) > 0);
    assert.deepEqual(meta.counts, { items: 12, ok: 12, failed: 0, flagged: 0 });
    assert.equal((meta.evalset as { sha256: string }).sha256, manifest.inputs[0].sha256);
    assert.equal((meta.responses as { path: string }).path, t.gen);
    assert.equal(meta.structured, true);
    // The journal is gone once the artifact is written.
    assert.equal(await Deno.stat(`${t.out}/.partial`).then(() => true, () => false), false);
  });
});

Deno.test("a rerun makes zero requests: the finished artifact is kept, and the cache serves a new --out byte for byte", async () => {
  const t = await setup(8);
  await withServer({}, async (server) => {
    const args = [
      "judge",
      "--evalset",
      t.evalset,
      "--responses",
      t.gen,
      "--judge",
      "gpt-4o",
      "--base-url",
      server.url,
    ];
    const first = await cli([...args, "--out", t.out]);
    assert.equal(first.code, 0, first.stderr);
    const bytes = await Deno.readFile(`${first.json.artifact}/judgments.jsonl`);
    const before = server.requests();

    const again = await cli([...args, "--out", t.out]);
    assert.equal(again.code, 0);
    assert.equal(again.json.reused, true);
    assert.equal(again.json.requests, 0);
    assert.equal(server.requests(), before, "no request reached the server");

    const elsewhere = await cli([
      ...args,
      "--out",
      `${t.root}/other`,
      "--cache",
      `${t.out}/.cache`,
    ]);
    assert.equal(elsewhere.code, 0, elsewhere.stderr);
    assert.equal(elsewhere.json.cached, 8);
    assert.equal(elsewhere.json.requests, 0);
    assert.equal(server.requests(), before, "the cache served every judgment");
    assert.deepEqual(await Deno.readFile(`${elsewhere.json.artifact}/judgments.jsonl`), bytes);

    // Another prompt version is another cache key: every item is judged again.
    const prompt = `${t.root}/rubric-v1b.md`;
    await Deno.writeTextFile(
      prompt,
      (await Deno.readTextFile(PROMPT.path)).replace("impartial", "impartial, strict"),
    );
    const recal = await cli([...args, "--out", t.out, "--prompt", prompt]);
    assert.equal(recal.code, 0, recal.stderr);
    assert.equal(recal.json.requests, 8);
    assert.notEqual(recal.json.prompt_sha256, PROMPT.sha256);
    assert.notEqual(recal.json.artifact, first.json.artifact);
  });
});

Deno.test("an endpoint without json_schema support is asked again in text mode and its reply text parsed", async () => {
  const t = await setup(6);
  await withServer({ jsonSchema: false, seed: false }, async (server) => {
    const r = await cli([
      "judge",
      "--evalset",
      t.evalset,
      "--responses",
      t.gen,
      "--judge",
      "gpt-4o",
      ...endpointArgs(server, t.out),
      "--concurrency",
      "1",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.ok, 6);
    // One request refused for json_schema, one for seed, then six in text mode.
    assert.equal(server.chatRequests(), 8);
    const judgments = await readJudgments(r.json.artifact as string);
    judgments.forEach((j, i) => assert.deepEqual(j.scores, scoresFor(t.responses[i].response)));
    assert.equal((await readManifest(r.json.artifact as string)).meta.structured, false);
  });
});

Deno.test("invalid JSON or out-of-range scores are re-asked once, then recorded as failed, never guessed", async () => {
  const t = await setup(8);
  const keys = t.responses.map((r) => sha256(r.response));
  const key = (i: number) => keys[i];
  await withServer({
    faults: (c) => {
      if (c.key === key(0) && c.attempt === 0) return { type: "malformed_json" };
      if (c.key === key(1) && c.attempt === 0) return { type: "out_of_range" };
      if (c.key === key(2)) return { type: "malformed_json" };
      if (c.key === key(3)) return { type: "out_of_range" };
      return undefined;
    },
  }, async (server) => {
    const r = await cli([
      "judge",
      "--evalset",
      t.evalset,
      "--responses",
      t.gen,
      "--judge",
      "gpt-4o",
      ...endpointArgs(server, t.out),
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.ok, 6);
    assert.equal(r.json.failed, 2);
    assert.equal(server.chatRequests(), 8 + 4, "one re-ask each for four bad replies");
    const j = await readJudgments(r.json.artifact as string);
    assert.deepEqual(j[0].scores, scoresFor(t.responses[0].response));
    assert.deepEqual(j[1].scores, scoresFor(t.responses[1].response));
    assert.equal(j[2].status, "failed");
    assert.equal(j[2].scores, null);
    assert.match(j[2].error!, /^invalid judge reply after one re-ask: not valid JSON/);
    assert.equal(j[3].status, "failed");
    assert.equal(j[3].scores, null);
    assert.match(j[3].error!, /scores\.correctness: expected an integer from 1 to 5, received 7/);
    assert.match(j[3].error!, /scores\.length: expected an integer from 1 to 5, received 0/);
    assert.ok(j[2].usage.prompt_tokens > 0, "the failed calls' usage is kept (they cost money)");
  });
});

Deno.test("429s with retry-after, 500s and dropped connections are retried until every item is judged once", async () => {
  const t = await setup(30);
  await withServer({
    faults: randomFaults({
      rate: 0.4,
      seed: 7,
      maxAttempt: 2,
      kinds: [
        { type: "rate_limit", retryAfterSeconds: 0.01 },
        { type: "server_error", status: 500 },
        { type: "server_error", status: 503 },
        { type: "drop" },
      ],
    }),
  }, async (server) => {
    const r = await cli([
      "judge",
      "--evalset",
      t.evalset,
      "--responses",
      t.gen,
      "--judge",
      "gpt-4o",
      ...endpointArgs(server, t.out),
      "--concurrency",
      "6",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.ok, 30);
    const faults = server.log.filter((l) => l.fault);
    assert.ok(faults.length >= 10, `${faults.length} faults injected`);
    assert.ok(
      faults.some((l) => l.fault === "drop") && faults.some((l) => l.fault === "rate_limit"),
    );
    const drops = faults.filter((l) => l.fault === "drop").length;
    assert.equal(server.chatRequests(), 30 + faults.length, "each fault cost one more request");
    // fetch itself may resend a request whose pooled connection dropped before any reply.
    assert.ok((r.json.retries as number) >= faults.length - drops, `${r.json.retries} retries`);
    assert.equal(r.json.requests, 30 + (r.json.retries as number), "requests counts every attempt");
    const j = await readJudgments(r.json.artifact as string);
    assert.equal(new Set(j.map((x) => x.item_id)).size, 30);
    j.forEach((x, i) => assert.deepEqual(x.scores, scoresFor(t.responses[i].response)));
  });
});

Deno.test("a provider's in-flight limit is absorbed by AIMD: all judged without a storm of retries", async () => {
  const t = await setup(120);
  await withServer(
    { maxInFlight: 4, latencyMs: 20, rateLimitRetryAfterSeconds: 0.02 },
    async (server) => {
      const r = await cli([
        "judge",
        "--evalset",
        t.evalset,
        "--responses",
        t.gen,
        "--judge",
        "gpt-4o",
        ...endpointArgs(server, t.out),
        "--concurrency",
        "32",
        "--max-attempts",
        "10",
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.json.ok, 120);
      const limited = r.json.rate_limited as number;
      // Without AIMD, 28 of 32 requests would bounce in every round: hundreds of 429s.
      assert.ok(limited < 120, `${limited} 429s for 120 items`);
      assert.ok(server.maxConcurrent() <= 4);
    },
  );
});

Deno.test("--budget-usd refuses a run whose estimate exceeds it: exit 1, no request", async () => {
  const t = await setup(10);
  await withServer({}, async (server) => {
    const r = await cli([
      "judge",
      "--evalset",
      t.evalset,
      "--responses",
      t.gen,
      "--judge",
      "gpt-4o",
      ...endpointArgs(server, t.out),
      "--budget-usd",
      "0.001",
    ]);
    assert.equal(r.code, 1);
    assert.equal(r.json.complete, false);
    assert.ok((r.json.estimate_usd as number) > 0.001);
    assert.equal(server.requests(), 0);
    assert.match(r.stderr, /exceeds --budget-usd 0\.001: not started/);
    assert.equal(await Deno.stat(`${t.out}/.partial`).then(() => true, () => false), false);
  });
});

Deno.test("--budget-usd stops before spending passes it; a rerun with more budget judges only the rest", async () => {
  const t = await setup(20);
  // The provider counts three times the tokens we estimate: the estimate passes, the run does not.
  await withServer({ usageMultiplier: 3 }, async (server) => {
    const args = [
      "judge",
      "--evalset",
      t.evalset,
      "--responses",
      t.gen,
      "--judge",
      "gpt-4o",
      ...endpointArgs(server, t.out),
      "--concurrency",
      "2",
    ];
    const first = await cli([...args, "--budget-usd", "0.12"]);
    assert.equal(first.code, 1, first.stderr);
    assert.ok((first.json.estimate_usd as number) <= 0.12);
    assert.equal(first.json.budget_stopped, true);
    assert.ok((first.json.cost_usd as number) <= 0.12, `spent ${first.json.cost_usd}`);
    const judged = first.json.ok as number;
    assert.ok(judged > 0 && judged < 20, `${judged} judged before the budget`);
    assert.match(first.stderr, /stopped before --budget-usd 0\.12 would be exceeded/);
    const before = server.chatRequests();
    const second = await cli([...args, "--budget-usd", "10"]);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.json.resumed, judged);
    assert.equal(server.chatRequests() - before, 20 - judged);
    const j = await readJudgments(second.json.artifact as string);
    assert.deepEqual(j.map((x) => x.item_id), t.items.map((i) => i.id));
  });
});

Deno.test("without --responses the production responses are judged; self-judging is refused unless allowed, then flagged", async () => {
  const t = await setup(6);
  // Prod answers came from gpt-4o-mini.
  const items = makeItems(6, "gpt-4o-mini");
  delete (items[5] as { response?: string }).response;
  const evalset = await writeArtifact({
    kind: "evalset",
    out: `${t.root}/in2`,
    command: "sample",
    params: { prod: true },
    files: { "evalset.jsonl": toJsonl(items) },
  });
  await withServer({}, async (server) => {
    const base = ["judge", "--evalset", evalset.dir, "--base-url", server.url, "--out", t.out];
    const refused = await cli([...base, "--judge", "gpt-4o"]);
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /Refusing to judge "gpt-4o-mini" with "gpt-4o": both are openai models/,
    );
    const explicit = await cli([...base, "--judge", "house-judge", "--judge-family", "openai"]);
    assert.equal(explicit.code, 2);
    assert.equal(server.requests(), 0);

    const allowed = await cli([...base, "--judge", "gpt-4o", "--allow-self-judge"]);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.equal(allowed.json.self_judged, true);
    assert.match(allowed.stderr, /self-judg/);
    const run = await readJudgeRun(allowed.json.artifact as string);
    assert.equal(run.self_judged, true);
    assert.equal((run.manifest.meta as { source: string }).source, "prod");
    assert.ok(run.warnings.some((w) => w.startsWith("self-judged")));
    assert.equal(run.judgments[5].status, "failed");
    assert.equal(run.judgments[5].error, "no response to judge for this item");
    run.judgments.slice(0, 5).forEach((j, i) =>
      assert.deepEqual(j.scores, scoresFor(items[i].response!))
    );

    const other = await cli([...base, "--judge", "claude-sonnet-4"]);
    assert.equal(other.code, 0, other.stderr);
    assert.equal(other.json.self_judged, false);
  });
});

Deno.test("instructions injected into responses do not move the judge, and every one is flagged", async () => {
  const t = await setup(ADVERSARIAL.length, {
    responses: (items) =>
      items.map((item, i) => ({
        item_id: item.id,
        model: "mistral-small-ledgerly-v2",
        response: ADVERSARIAL[i],
        latency_ms: 1,
        usage: { prompt_tokens: 1, completion_tokens: 1 },
      })),
  });
  await withServer({}, async (server) => {
    const r = await cli([
      "judge",
      "--evalset",
      t.evalset,
      "--responses",
      t.gen,
      "--judge",
      "gpt-4o",
      ...endpointArgs(server, t.out),
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.flagged, ADVERSARIAL.length);
    const j = await readJudgments(r.json.artifact as string);
    for (const [i, judgment] of j.entries()) {
      assert.deepEqual(judgment.flags, ["possible_injection"]);
      // The (gullible) server scored the delimited data, not the instructions in it.
      assert.deepEqual(judgment.scores, scoresFor(escapeData(ADVERSARIAL[i])), ADVERSARIAL[i]);
      assert.doesNotMatch(judgment.rationale, /Following the instructions/);
    }

    // Control: a prompt that does not delimit the response lets the same text instruct the server.
    const naive = `${t.root}/naive.md`;
    await Deno.writeTextFile(
      naive,
      "<!-- system -->\nScore the answer.\n<!-- user -->\nTag {{tag}}.\n<<<BEGIN RESPONSE {{tag}}>>>\n\n<<<END RESPONSE {{tag}}>>>\nQuestion: {{conversation}}\nAnswer: {{response}}\n<!-- reask -->\n{{error}}\n",
    );
    const control = await cli([
      "judge",
      "--evalset",
      t.evalset,
      "--responses",
      t.gen,
      "--judge",
      "gpt-4o",
      "--base-url",
      server.url,
      "--out",
      `${t.root}/naive-runs`,
      "--prompt",
      naive,
    ]);
    assert.equal(control.code, 0, control.stderr);
    const obeyed = (await readJudgments(control.json.artifact as string))
      .filter((x) => /Following the instructions/.test(x.rationale));
    assert.ok(obeyed.length >= 3, `${obeyed.length} injections obeyed without delimiters`);
  });
});

Deno.test("the API key never appears in an artifact, a cache or journal file, a log line or an error message", async () => {
  const key = "sk-evalkit-PLANTED-7f3a9c1e2b4d6f80a1c3e5d7";
  const t = await setup(5);
  const run = async (args: string[], env: Record<string, string>) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", CLI, ...args],
      env: { NO_COLOR: "1", EVALKIT_CACHE_DIR: `${t.root}/user/.cache`, ...env },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    return { code: out.code, text: dec.decode(out.stdout) + dec.decode(out.stderr) };
  };
  const texts: string[] = [];
  await withServer({ apiKey: key }, async (server) => {
    const env = { OPENAI_API_KEY: key, OPENAI_BASE_URL: server.url };
    const gen = await run([
      "generate",
      "--evalset",
      t.evalset,
      "--model",
      "mistral-small-ledgerly-v3",
      "--out",
      t.out,
      "--json",
    ], env);
    assert.equal(gen.code, 0, gen.text);
    texts.push(gen.text);
    const dir = JSON.parse(gen.text.split("\n")[0]).artifact as string;
    const judge = await run([
      "judge",
      "--evalset",
      t.evalset,
      "--responses",
      dir,
      "--judge",
      "gpt-4o",
      "--out",
      t.out,
      "--json",
    ], env);
    assert.equal(judge.code, 0, judge.text);
    texts.push(judge.text);
  });
  // A server that rejects the key and echoes it back in its error message.
  await withServer({ apiKey: "sk-the-right-one-0000000000" }, async (server) => {
    const env = { OPENAI_API_KEY: key, OPENAI_BASE_URL: server.url };
    const bad = await run([
      "judge",
      "--evalset",
      t.evalset,
      "--responses",
      t.gen,
      "--judge",
      "gpt-4o",
      "--out",
      t.out,
    ], env);
    assert.equal(bad.code, 1, bad.text);
    assert.match(
      bad.text,
      /The endpoint refused the run: HTTP 401 from 127\.0\.0\.1:\d+: the API key was refused \(check OPENAI_API_KEY\)/,
    );
    assert.match(bad.text, /\[redacted\]/);
    texts.push(bad.text);
  });
  for (const text of texts) assert.ok(!text.includes(key), "the key in output:\n" + text);
  const files = await allFiles(t.root);
  assert.ok(files.some((f) => f.includes("/.cache/")), "the cache was written");
  for (const file of files) {
    const bytes = await Deno.readFile(file);
    assert.ok(!new TextDecoder().decode(bytes).includes(key), `the key in ${file}`);
  }
});

Deno.test("a judge run killed with SIGKILL after its 9th journal line resumes: every item judged exactly once, only the missing ones requested", async () => {
  const t = await setup(30);
  const K = 9;
  // The server answers K requests and holds every later one: the journal stops at K lines.
  await withServer({ latencyMs: 20, holdAfter: K }, async (server) => {
    const args = [
      "judge",
      "--evalset",
      t.evalset,
      "--responses",
      t.gen,
      "--judge",
      "gpt-4o",
      ...endpointArgs(server, t.out),
      "--concurrency",
      "3",
    ];
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", CLI, ...args],
      env: { NO_COLOR: "1", EVALKIT_CACHE_DIR: `${t.out}/.cache` },
      stdout: "null",
      stderr: "null",
    }).spawn();
    await server.answered(K);
    // The K answers are journaled (and flushed) before the kill; nothing more can be.
    let journal = "";
    let lines: string[] = [];
    for (let i = 0; i < 2400 && lines.length < K; i++) {
      await new Promise((r) => setTimeout(r, 25));
      const partial = await Array.fromAsync(Deno.readDir(`${t.out}/.partial`)).catch(() => []);
      if (partial.length === 0) continue;
      journal = `${t.out}/.partial/${partial[0].name}/judgments.jsonl`;
      const text = await Deno.readTextFile(journal).catch(() => "");
      lines = text.split("\n").filter((l) => l.endsWith("}"));
    }
    assert.equal(lines.length, K, `the journal reached ${K} lines before the kill`);
    child.kill("SIGKILL");
    const status = await child.status;
    assert.equal(status.success, false, "the run was killed, not finished");
    server.release();
    const logAtKill = server.log.length;

    const raw = await Deno.readTextFile(journal);
    const kept = new Set(
      raw.trimEnd().split("\n").map((l) => String(Judgment.parse(JSON.parse(l)).item_id)),
    );
    assert.equal(kept.size, K, "exactly the answered judgments survived the kill");

    const rerun = await cli(args);
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.equal(rerun.json.resumed, kept.size);
    const byResponse = new Map(t.responses.map((r) => [r.response, String(r.item_id)]));
    const requested = server.log.slice(logAtKill)
      .filter((l) => l.path === "/v1/chat/completions")
      .map((l) => byResponse.get(l.response!)!);
    const missing = t.items.map((i) => i.id).filter((id) => !kept.has(id));
    assert.deepEqual(
      requested.sort(),
      missing.sort(),
      "the rerun asked for the missing items only, once each",
    );
    const j = await readJudgments(rerun.json.artifact as string);
    assert.deepEqual(
      j.map((x) => x.item_id),
      t.items.map((i) => i.id),
      "each item exactly once, in order",
    );
  });
});

Deno.test("--batch judges through files and batches at half price, and a pending batch is resumed, not paid twice", async () => {
  const t = await setup(10);
  await withServer({ batchPolls: 3 }, async (server) => {
    const args = [
      "judge",
      "--evalset",
      t.evalset,
      "--responses",
      t.gen,
      "--judge",
      "gpt-4o",
      ...endpointArgs(server, t.out),
      "--batch",
      "--batch-poll",
      "0.01",
    ];
    const pending = await cli([...args, "--batch-wait", "0.000001"]);
    assert.equal(pending.code, 1, pending.stderr);
    assert.equal(pending.json.complete, false);
    assert.match(pending.json.batch_id as string, /^batch_/);
    assert.match(pending.stderr, /still in_progress: stopped waiting/);

    const done = await cli(args);
    assert.equal(done.code, 0, done.stderr);
    assert.equal(done.json.ok, 10);
    assert.equal(done.json.batch_id, pending.json.batch_id);
    const count = (method: string, path: RegExp) =>
      server.log.filter((l) => l.method === method && path.test(l.path)).length;
    assert.equal(count("POST", /^\/v1\/files$/), 1, "one upload");
    assert.equal(count("POST", /^\/v1\/batches$/), 1, "one batch");
    assert.equal(count("POST", /^\/v1\/chat\/completions$/), 0, "nothing judged outside the batch");
    const j = await readJudgments(done.json.artifact as string);
    j.forEach((x, i) => assert.deepEqual(x.scores, scoresFor(t.responses[i].response)));
    const tokens = j.reduce(
      (s, x) => s + x.usage.prompt_tokens * 2.5 + x.usage.completion_tokens * 10,
      0,
    );
    assert.ok(Math.abs((done.json.cost_usd as number) - tokens / 2e6) < 1e-6, "half price");
    assert.equal(
      (await readManifest(done.json.artifact as string)).meta.batch_id,
      pending.json.batch_id,
    );

    // A batch can also be resumed by id (here into a fresh --out, without the cache).
    const byId = await cli([
      ...args.slice(0, -5),
      "--out",
      `${t.root}/by-id`,
      "--no-cache",
      "--batch-id",
      pending.json.batch_id as string,
      "--batch-poll",
      "0.01",
    ]);
    assert.equal(byId.code, 0, byId.stderr);
    assert.equal(byId.json.ok, 10);
    assert.equal(count("POST", /^\/v1\/files$/), 1, "still one upload");
    assert.equal(count("POST", /^\/v1\/chat\/completions$/), 0);
    assert.deepEqual(
      await Deno.readFile(`${byId.json.artifact}/judgments.jsonl`),
      await Deno.readFile(`${done.json.artifact}/judgments.jsonl`),
    );
  });
});

Deno.test("judgeItems() judges regression cases against their expected behaviour (for the gate)", async () => {
  await withServer({}, async (server) => {
    const cases = [
      {
        id: "case-1",
        query: "Can I delete a paid invoice?",
        expected_behavior: "Says paid invoices must be refunded first.",
      },
      {
        id: "case-2",
        query: "Is my data exported when I close the account?",
        expected_behavior: "Offers an export first.",
      },
    ];
    const result = await judgeItems(cases, [
      { item_id: "case-1", response: "Refund it first, then void it.", model: "mistral-large" },
      {
        item_id: "case-2",
        response: "Export your data from Settings before closing.",
        model: "mistral-large",
      },
    ], { judge: "gpt-4o", clientOptions: { baseURL: server.url, apiKey: "test" } });
    assert.equal(result.complete, true);
    assert.deepEqual(result.judgments.map((j) => j.status), ["ok", "ok"]);
    assert.deepEqual(result.judgments[0].scores, scoresFor("Refund it first, then void it."));
    assert.equal(result.stats.requests, 2);
  });
});

Deno.test("evalkit judge reports bad usage and bad input with exit 2", async () => {
  const t = await setup(3);
  const noJudge = await cli(["judge", "--evalset", t.evalset, "--out", t.out]);
  assert.equal(noJudge.code, 2);
  assert.match(noJudge.stderr, /^Missing required flag --judge/);
  const bad = await cli([
    "judge",
    "--evalset",
    t.evalset,
    "--judge",
    "heuristic",
    "--concurrency",
    "zero",
    "--out",
    t.out,
  ]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /Invalid --concurrency "zero": expected a positive integer/);
  const stray = `${t.root}/stray.jsonl`;
  await Deno.writeTextFile(
    stray,
    toJsonl([{
      item_id: "item-001",
      model: "m",
      response: "x",
      latency_ms: 1,
      usage: { prompt_tokens: 1, completion_tokens: 1 },
    }, {
      item_id: "nope",
      model: "m",
      response: "x",
      latency_ms: 1,
      usage: { prompt_tokens: 1, completion_tokens: 1 },
    }]),
  );
  const unknown = await cli([
    "judge",
    "--evalset",
    t.evalset,
    "--responses",
    stray,
    "--judge",
    "heuristic",
    "--out",
    t.out,
  ]);
  assert.equal(unknown.code, 2);
  assert.match(
    unknown.stderr,
    new RegExp(
      `^Cannot read "${stray}": line 2: field "item_id": no item of the eval set has id "nope"`,
    ),
  );
  const noProd = await writeArtifact({
    kind: "evalset",
    out: `${t.root}/in3`,
    command: "sample",
    params: {},
    files: { "evalset.jsonl": toJsonl([{ id: "a", query: "q", stratum: "s", source_id: "l1" }]) },
  });
  const none = await cli([
    "judge",
    "--evalset",
    noProd.dir,
    "--judge",
    "heuristic",
    "--out",
    t.out,
  ]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /holds no production responses to judge: pass --responses DIR/);
});

Deno.test("evalkit judge --judge heuristic judges offline and says it is a weak baseline", async () => {
  const t = await setup(6);
  const r = await cli([
    "judge",
    "--evalset",
    t.evalset,
    "--responses",
    t.gen,
    "--judge",
    "heuristic",
    "--out",
    t.out,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.ok, 6);
  assert.equal(r.json.requests, 0);
  assert.equal(r.json.cost_usd, 0);
  const run = await readJudgeRun(r.json.artifact as string);
  assert.ok(run.warnings.some((w) => w.includes("weak text-feature baseline")));
  assert.ok(run.judgments.every((j) => j.rationale.includes("not an LLM judgment")));
});
