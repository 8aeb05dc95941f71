/**
 * The engine's failure handling and reply reading, end to end: every test talks
 * to the local OpenAI-compatible test server (with injected faults), to a
 * closed port, to an http server addressed as https, or to an unresolvable
 * host, never to a live API.
 */
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { EvalItem, Response } from "../lib/schemas.ts";
import { Judgment, RegressionCase } from "../lib/schemas.ts";
import { toJsonl } from "../lib/io/write.ts";
import { judgeItems } from "../lib/judge/judge.ts";
import { runCliJson } from "../lib/testing/cli.ts";
import { endpointArgs, withServer, writeInputs } from "../lib/testing/fixtures.ts";
import type { Fault, ScoreFormat } from "../lib/testing/openai_server.ts";
import { sha256 } from "../lib/_hash.ts";

const CLI = new URL("../lib/cli.ts", import.meta.url).pathname;

function items(n: number): EvalItem[] {
  return Array.from({ length: n }, (_, i) =>
    ({
      id: `item-${String(i + 1).padStart(3, "0")}`,
      query: `How do I void invoice INV-${1000 + i}?`,
      stratum: "billing",
      source_id: `log-${i}`,
    }) as EvalItem);
}

function responses(list: EvalItem[]): Response[] {
  return list.map((item, i) => ({
    item_id: item.id,
    model: "mistral-small-ledgerly-v2",
    response: `Answer ${i}: open the invoice and choose More > Void.`,
    latency_ms: 10,
    usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 },
  }));
}

async function setup(n: number) {
  const root = await Deno.makeTempDir({ prefix: "evalkit-engine-" });
  const list = items(n);
  const rs = responses(list);
  const { evalset, gen } = await writeInputs(root, list, rs);
  return { root, out: `${root}/runs`, items: list, responses: rs, evalset, gen: gen! };
}

function judgeArgs(t: { evalset: string; gen: string }, url: string, out: string): string[] {
  return [
    "judge",
    "--evalset",
    t.evalset,
    "--responses",
    t.gen,
    "--judge",
    "gpt-4o",
    "--base-url",
    url,
    "--out",
    out,
  ];
}

function closedPort(): Promise<number> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return Promise.resolve(port);
}

Deno.test("a closed port stops the run within seconds: exit 1, connection refused by the host, nothing judged", async () => {
  const t = await setup(40);
  const port = await closedPort();
  const started = performance.now();
  const r = await runCliJson([...judgeArgs(t, `http://127.0.0.1:${port}/v1`, t.out)]);
  const seconds = (performance.now() - started) / 1000;
  assert.equal(r.code, 1, r.stderr);
  assert.ok(seconds < 10, `stopped after ${seconds.toFixed(1)} s`);
  const error = r.json.error as { message: string; failure: { reason: string; host: string } };
  assert.match(error.message, new RegExp(`connection refused by 127\\.0\\.0\\.1:${port}`));
  assert.equal(error.failure.reason, "connection_refused");
  assert.equal(error.failure.host, `127.0.0.1:${port}`);
  assert.match(r.stderr, new RegExp(`judge +→ 127\\.0\\.0\\.1:${port} \\(--base-url\\)`));
  assert.doesNotMatch(r.stderr, /rate limits, server errors or timeouts/);
});

Deno.test("an http server addressed as https is a TLS failure; an unresolvable host is a DNS failure", async () => {
  const t = await setup(3);
  const server = http.createServer((_q, res) => res.end("plain http"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as AddressInfo).port;
  try {
    const tls = await runCliJson(judgeArgs(t, `https://127.0.0.1:${port}/v1`, t.out));
    assert.equal(tls.code, 1, tls.stderr);
    const e = tls.json.error as { message: string; failure: { reason: string } };
    assert.equal(e.failure.reason, "tls");
    assert.match(e.message, new RegExp(`TLS handshake with 127\\.0\\.0\\.1:${port} failed`));
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  const dns = await runCliJson(judgeArgs(t, "http://evalkit-no-such-host.invalid/v1", t.out));
  assert.equal(dns.code, 1, dns.stderr);
  const d = dns.json.error as { message: string; failure: { reason: string } };
  assert.equal(d.failure.reason, "dns");
  assert.match(d.message, /cannot resolve the host of evalkit-no-such-host\.invalid/);
});

for (
  const [status, reason, words] of [
    [403, "forbidden", /HTTP 403 from 127\.0\.0\.1:\d+: the key has no access to this model/],
    [404, "not_found", /HTTP 404 from 127\.0\.0\.1:\d+: unknown model or path .*: no such model/],
  ] as const
) {
  Deno.test(`HTTP ${status} on every request stops the run at once: exit 1, ${reason}, the host and the endpoint's message`, async () => {
    const t = await setup(20);
    await withServer(
      { faults: () => ({ type: "http_error", status, message: "no such model" }) },
      async (server) => {
        const r = await runCliJson(judgeArgs(t, server.url, t.out));
        assert.equal(r.code, 1, r.stderr);
        const e = r.json.error as { message: string; failure: { reason: string; status: number } };
        assert.match(e.message, words);
        assert.equal(e.failure.reason, reason);
        assert.equal(e.failure.status, status);
        assert.ok(server.chatRequests() <= 8, `${server.chatRequests()} requests`);
      },
    );
  });
}

Deno.test("the first requests all refused with the same 400 stop the run (exit 1, the endpoint's message); nothing is recorded, so a fixed rerun sends them", async () => {
  const t = await setup(20);
  const message = "Invalid 'messages': the conversation exceeds the context window";
  await withServer(
    { faults: () => ({ type: "bad_request", message }) },
    async (server) => {
      const r = await runCliJson([...judgeArgs(t, server.url, t.out), "--concurrency", "1"]);
      assert.equal(r.code, 1, r.stderr);
      const e = r.json.error as { message: string; failure: { reason: string } };
      assert.equal(e.failure.reason, "bad_request");
      assert.match(
        e.message,
        /The first 3 requests were all refused the same way: HTTP 400 from 127\.0\.0\.1:\d+: the request was refused: Invalid 'messages'/,
      );
      assert.equal(server.chatRequests(), 3);
    },
  );
  await withServer({}, async (server) => {
    const r = await runCliJson(judgeArgs(t, server.url, t.out));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.resumed, 0, "no failed judgment was kept from the refused start");
    assert.equal(r.json.ok, 20);
  });
});

Deno.test("one item refused with a 400 fails with the reason and host in the judgment, the journal and the summary; 429s, 500s and timeouts are counted apart", async () => {
  const t = await setup(12);
  const key = (i: number) => sha256(t.responses[i].response);
  const faults = (ctx: { key: string; attempt: number }): Fault | undefined => {
    if (ctx.key === key(5)) return { type: "bad_request", message: "prompt too long for item 6" };
    if (ctx.attempt > 0) return undefined;
    if (ctx.key === key(1)) return { type: "rate_limit", retryAfterMs: 10 };
    if (ctx.key === key(2)) return { type: "server_error", status: 503 };
    if (ctx.key === key(3)) return { type: "latency", ms: 1500 };
    return undefined;
  };
  await withServer({ faults }, async (server) => {
    const r = await runCliJson([
      ...judgeArgs(t, server.url, t.out),
      "--timeout",
      "0.5",
      "--concurrency",
      "2",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.ok, 11);
    assert.equal(r.json.failed, 1);
    assert.deepEqual(r.json.failures, {
      bad_request: 1,
      rate_limit: 1,
      server_error: 1,
      timeout: 1,
    });
    assert.match(
      r.stderr,
      /failures {2}1 × bad request, 1 × rate limit, 1 × server error, 1 × timeout/,
    );
    const text = await Deno.readTextFile(`${r.json.artifact}/judgments.jsonl`);
    const failed = text.trim().split("\n").map((l) => Judgment.parse(JSON.parse(l)))
      .find((j) => j.status === "failed")!;
    assert.equal(failed.item_id, "item-006");
    assert.match(
      failed.error!,
      /^HTTP 400 from 127\.0\.0\.1:\d+: the request was refused: prompt too long for item 6$/,
    );
  });
});

Deno.test("a killed-off run's journal records the failure reason of a refused item", async () => {
  const t = await setup(4);
  const key = sha256(t.responses[0].response);
  // The item refused for good is journaled; then every other item is held (the run is unfinished).
  await withServer({
    faults: (ctx) =>
      ctx.key === key
        ? { type: "bad_request", message: "refused item" }
        : { type: "server_error", status: 502 },
  }, async (server) => {
    const r = await runCliJson([
      ...judgeArgs(t, server.url, t.out),
      "--max-attempts",
      "1",
      "--concurrency",
      "1",
    ]);
    assert.equal(r.code, 1, r.stderr);
    assert.ok(r.json.partial, "the journal is kept");
    const lines = (await Deno.readTextFile(r.json.partial as string)).trim().split("\n");
    const journaled = lines.map((l) => Judgment.parse(JSON.parse(l)));
    assert.equal(journaled.length, 1);
    assert.match(journaled[0].error!, /HTTP 400 from 127\.0\.0\.1:\d+: the request was refused/);
    assert.deepEqual(r.json.failures, { bad_request: 1, server_error: 3 });
    assert.match(
      r.stderr,
      /3 items got no result after 1 attempts \(1 × bad request, 3 × server error\)/,
    );
  });
});

/** Judge with every reply's scores written in `format` (on the first attempt, or on all). */
async function judgeWith(format: ScoreFormat, everyAttempt: boolean) {
  const list = items(2);
  return await withServer(
    {
      faults: (ctx) =>
        everyAttempt || ctx.attempt === 0 ? { type: "scores_as", format } : undefined,
    },
    async (server) => {
      const result = await judgeItems(list, responses(list), {
        judge: "gpt-4o",
        clientOptions: { baseURL: server.url, apiKey: "test", structured: "text" },
      });
      return { result, requests: server.chatRequests() };
    },
  );
}

for (const format of ["string", "decimal", "slash"] as const) {
  Deno.test(`scores written as ${format} ("4", "4.0", "4/5") are read as integers, once each, with the raw reply kept`, async () => {
    const { result, requests } = await judgeWith(format, true);
    assert.equal(requests, 2, "no re-ask");
    for (const j of result.judgments) {
      assert.equal(j.status, "ok");
      assert.ok(Object.values(j.scores!).every((s) => Number.isInteger(s) && s >= 1 && s <= 5));
      assert.ok(j.raw && j.raw.includes('"scores"'), "the raw reply is kept");
    }
  });
}

for (
  const [format, problem] of [
    ["words", /scores\.correctness: expected an integer from 1 to 5, received "\w+"/],
    ["half", /received \d\.5 \(not a whole number\)/],
    ["tenths", /received "\d+\/10"/],
    ["missing", /scores\.length: expected an integer from 1 to 5, missing/],
  ] as const
) {
  Deno.test(`scores written as ${format} are re-asked once, then failed with the reason`, async () => {
    const fixed = await judgeWith(format, false);
    assert.equal(fixed.requests, 4, "one re-ask per item");
    assert.ok(fixed.result.judgments.every((j) => j.status === "ok" && !j.raw));
    const failed = await judgeWith(format, true);
    assert.equal(failed.requests, 4);
    for (const j of failed.result.judgments) {
      assert.equal(j.status, "failed");
      assert.equal(j.scores, null);
      assert.match(j.error!, /^invalid judge reply after one re-ask: /);
      assert.match(j.error!, problem);
    }
  });
}

/** The environment without OPENAI_* (what deno itself needs is kept). */
function keptEnv(cacheDir: string): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: "1", EVALKIT_CACHE_DIR: cacheDir };
  for (const [k, v] of Object.entries(Deno.env.toObject())) {
    if (!k.startsWith("OPENAI_") && k !== "EVALKIT_CACHE_DIR") env[k] = v;
  }
  return env;
}

Deno.test("regress says which endpoint each side uses and why; the judge never silently takes the model's --base-url", async () => {
  const root = await Deno.makeTempDir({ prefix: "evalkit-engine-regress-" });
  const cases: RegressionCase[] = [{
    id: "case-001",
    query: "Can a voided invoice be restored?",
    expected_behavior: "Says a voided invoice cannot be restored",
    added_on: "2026-09-01",
    source: "INC-1",
  } as RegressionCase];
  await Deno.writeTextFile(`${root}/cases.jsonl`, toJsonl(cases));
  await withServer({}, async (server) => {
    const run = async (extra: string[]) => {
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          CLI,
          "regress",
          "--cases",
          `${root}/cases.jsonl`,
          "--model",
          "mistral-small-ledgerly-v2",
          "--judge",
          "gpt-4o",
          ...endpointArgs(server, `${root}/runs`),
          ...extra,
        ],
        env: keptEnv(`${root}/.cache`),
        clearEnv: true,
        stdout: "piped",
        stderr: "piped",
      }).output();
      return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
    };
    const host = new URL(server.url).host.replaceAll(".", "\\.");
    const alone = await run([]);
    assert.match(alone.stderr, new RegExp(`model +→ ${host} \\(--base-url\\)`));
    assert.match(
      alone.stderr,
      /judge +→ api\.openai\.com \(default: no --judge-base-url, no \$OPENAI_BASE_URL\)/,
    );
    assert.equal(alone.code, 2, alone.stderr);
    assert.match(alone.stderr, /OPENAI_API_KEY is not set for https:\/\/api\.openai\.com\/v1/);
    const both = await run(["--judge-base-url", server.url]);
    assert.match(both.stderr, new RegExp(`judge +→ ${host} \\(--judge-base-url\\)`));
    assert.equal(both.code, 0, both.stderr);
  });
});
