/**
 * Integration tests of `evalkit generate`, over HTTP against the local
 * OpenAI-compatible test server.
 */
import assert from "node:assert/strict";
import { readManifest } from "../lib/artifacts.ts";
import { type EvalItem, Response } from "../lib/schemas.ts";
import { randomFaults, startOpenAIServer } from "../lib/testing/openai_server.ts";
import { missingKeys, runCliJson } from "../lib/testing/cli.ts";
import { endpointArgs, writeInputs } from "../lib/testing/fixtures.ts";

function makeItems(n: number): EvalItem[] {
  return Array.from({ length: n }, (_, i) => {
    const id = `item-${String(i + 1).padStart(3, "0")}`;
    const turns = i % 4 === 3
      ? {
        messages: [
          { role: "user" as const, content: `How do I refund client ${i}?` },
          { role: "assistant" as const, content: "Use Payments > Refund." },
          { role: "user" as const, content: `and if invoice ${i} is already paid?` },
        ],
      }
      : { query: `How do I void invoice INV-${1000 + i}?` };
    return { id, ...turns, stratum: "billing", source_id: `log-${i}` } as EvalItem;
  });
}

async function setup(n: number) {
  const root = await Deno.makeTempDir({ prefix: "evalkit-generate-" });
  const items = makeItems(n);
  const { evalset } = await writeInputs(root, items);
  return { root, out: `${root}/runs`, items, evalset };
}

const cli = runCliJson;

async function readResponses(dir: string): Promise<Response[]> {
  return (await Deno.readTextFile(`${dir}/responses.jsonl`)).trimEnd().split("\n")
    .map((l) => Response.parse(JSON.parse(l)));
}

/** The server answers with the conversation it was sent, so tests can see it. */
function echo(messages: { role: string; content: string }[]): string {
  return messages.map((m) => `[${m.role}] ${m.content}`).join(" | ");
}

Deno.test("evalkit generate sends the system prompt and each conversation, and records latency and usage", async () => {
  const t = await setup(8);
  const server = await startOpenAIServer({ answer: echo, latencyMs: 5 });
  try {
    const system = `${t.root}/system.txt`;
    await Deno.writeTextFile(system, "You are Ledgerly's support assistant.");
    const r = await cli([
      "generate",
      "--evalset",
      t.evalset,
      "--model",
      "mistral-small-ledgerly-v3",
      "--system-prompt",
      system,
      ...endpointArgs(server, t.out),
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(missingKeys(r.json), []);
    assert.equal(r.json.ok, 8);
    assert.equal(r.json.requests, 8);
    assert.equal(r.json.cost_usd, null, "no price for this model: cost unknown, not zero");
    const dir = r.json.artifact as string;
    assert.match(dir, /\/responses-[0-9a-f]{12}$/);
    const responses = await readResponses(dir);
    assert.deepEqual(responses.map((x) => x.item_id), t.items.map((i) => i.id));
    assert.equal(
      responses[0].response,
      "[system] You are Ledgerly's support assistant. | [user] How do I void invoice INV-1000?",
    );
    assert.equal(
      responses[3].response,
      "[system] You are Ledgerly's support assistant. | [user] How do I refund client 3? | " +
        "[assistant] Use Payments > Refund. | [user] and if invoice 3 is already paid?",
    );
    for (const x of responses) {
      assert.equal(x.model, "mistral-small-ledgerly-v3");
      assert.ok(x.latency_ms >= 0);
      assert.ok(x.usage.prompt_tokens > 0 && x.usage.completion_tokens > 0);
    }
    const manifest = await readManifest(dir);
    assert.equal(manifest.kind, "responses");
    assert.equal(manifest.command, "generate");
    assert.equal(manifest.inputs.length, 2, "the eval set and the system prompt");
    assert.equal((manifest.meta as { model_family: string }).model_family, "mistral");
  } finally {
    await server.close();
  }
});

Deno.test("evalkit generate retries faults, then a rerun makes zero requests", async () => {
  const t = await setup(20);
  const server = await startOpenAIServer({
    faults: randomFaults({
      rate: 0.3,
      seed: 3,
      kinds: [{ type: "rate_limit", retryAfterMs: 5 }, { type: "server_error" }],
    }),
  });
  try {
    const args = [
      "generate",
      "--evalset",
      t.evalset,
      "--model",
      "gpt-4o-mini",
      ...endpointArgs(server, t.out),
      "--concurrency",
      "4",
    ];
    const first = await cli(args);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.json.ok, 20);
    assert.ok((first.json.retries as number) > 0);
    assert.equal(server.chatRequests(), 20 + (first.json.retries as number));
    assert.ok((first.json.cost_usd as number) > 0);
    const bytes = await Deno.readFile(`${first.json.artifact}/responses.jsonl`);
    const before = server.requests();
    const again = await cli(args);
    assert.equal(again.json.requests, 0);
    assert.equal(server.requests(), before);
    const fresh = await cli([
      ...args.slice(0, -4),
      "--out",
      `${t.root}/other`,
      "--cache",
      `${t.out}/.cache`,
    ]);
    assert.equal(fresh.code, 0, fresh.stderr);
    assert.equal(fresh.json.cached, 20);
    assert.equal(server.requests(), before);
    assert.deepEqual(await Deno.readFile(`${fresh.json.artifact}/responses.jsonl`), bytes);
  } finally {
    await server.close();
  }
});

Deno.test("evalkit generate records an item the endpoint refuses for good in failures.jsonl", async () => {
  const t = await setup(4);
  const server = await startOpenAIServer({
    faults: (
      c,
    ) => (c.attempt === 0 && c.n === 1
      ? { type: "bad_request", message: "context too long" }
      : undefined),
  });
  try {
    const r = await cli([
      "generate",
      "--evalset",
      t.evalset,
      "--model",
      "gpt-4o-mini",
      ...endpointArgs(server, t.out),
      "--concurrency",
      "1",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.ok, 3);
    assert.equal(r.json.failed, 1);
    const failures = (await Deno.readTextFile(`${r.json.artifact}/failures.jsonl`)).trim().split(
      "\n",
    )
      .map((l) => JSON.parse(l));
    assert.equal(failures.length, 1);
    assert.equal(failures[0].item_id, "item-001");
    assert.match(failures[0].error, /400.*context too long/);
  } finally {
    await server.close();
  }
});

Deno.test("a generate artifact is judged with --responses DIR", async () => {
  const t = await setup(5);
  const server = await startOpenAIServer();
  try {
    const gen = await cli([
      "generate",
      "--evalset",
      t.evalset,
      "--model",
      "mistral-small-ledgerly-v3",
      ...endpointArgs(server, t.out),
    ]);
    assert.equal(gen.code, 0, gen.stderr);
    const judged = await cli([
      "judge",
      "--evalset",
      t.evalset,
      "--responses",
      gen.json.artifact as string,
      "--judge",
      "gpt-4o",
      ...endpointArgs(server, t.out),
    ]);
    assert.equal(judged.code, 0, judged.stderr);
    assert.equal(judged.json.ok, 5);
    const manifest = await readManifest(judged.json.artifact as string);
    assert.deepEqual(
      manifest.inputs.map((i) => i.path),
      // The responses sit in the judge run's runs folder: recorded relative to the run.
      [
        `${t.evalset}/evalset.jsonl`,
        `../${String(gen.json.artifact).split("/").pop()}/responses.jsonl`,
      ],
    );
  } finally {
    await server.close();
  }
});

Deno.test("evalkit generate --budget-usd refuses an estimate above it and needs a price", async () => {
  const t = await setup(5);
  const server = await startOpenAIServer();
  try {
    const over = await cli([
      "generate",
      "--evalset",
      t.evalset,
      "--model",
      "gpt-4o",
      ...endpointArgs(server, t.out),
      "--budget-usd",
      "0.0001",
    ]);
    assert.equal(over.code, 1);
    assert.equal(server.requests(), 0);
    const unpriced = await cli([
      "generate",
      "--evalset",
      t.evalset,
      "--model",
      "house-model",
      ...endpointArgs(server, t.out),
      "--budget-usd",
      "1",
    ]);
    assert.equal(unpriced.code, 2);
    assert.match(unpriced.stderr, /No price for model "house-model".*--prices FILE/);
  } finally {
    await server.close();
  }
});
