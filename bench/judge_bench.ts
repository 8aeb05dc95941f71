/**
 * `deno task bench:judge`: the judge's throughput against the local
 * OpenAI-compatible test server (real HTTP, 200 ms per request).
 *
 * 1. 1,000 items at concurrency 32: wall time and its ratio to the ideal
 *    N × latency / C = 6.25 s (target ≤ 1.15).
 * 2. The same with 10% of requests failing (5% 429 with retry-after 0.5 s,
 *    5% 500): all judged, none twice; the ratio.
 * 3. A cached rerun (a fresh --out served by run 1's cache) and a rerun of
 *    the finished run: requests made (must be 0).
 *
 * Each run is the full `runJudge` path: journal, cache, artifact. Figures
 * vary with the machine; the README records one run.
 *
 * Under `deno bench` (which imports every bench/ file) this module does nothing.
 */
import { writeArtifact } from "../lib/artifacts.ts";
import { toJsonl } from "../lib/io/write.ts";
import { createReporter } from "../lib/reporter.ts";
import type { EvalItem, Response } from "../lib/schemas.ts";
import { runJudge } from "../lib/judge/run.ts";
import { randomFaults, startOpenAIServer } from "../lib/testing/openai_server.ts";

const N = Number(Deno.env.get("BENCH_ITEMS") ?? 1000);
const RUNS = Number(Deno.env.get("BENCH_RUNS") ?? 5);
const LATENCY_MS = 200;
const CONCURRENCY = 32;
const IDEAL_S = (N * LATENCY_MS) / CONCURRENCY / 1000;

async function inputs(root: string, n = N) {
  const items: EvalItem[] = Array.from({ length: n }, (_, i) => ({
    id: `item-${String(i + 1).padStart(4, "0")}`,
    query: `How do I refund client ${i} who paid invoice INV-${1000 + i} twice?`,
    stratum: ["billing", "technical", "account", "other"][i % 4],
    source_id: `log-${i + 1}`,
    ...(i % 2 === 0 ? { reference: ["Refunds are issued with Payments > Refund"] } : {}),
  }));
  const responses: Response[] = items.map((item, i) => ({
    item_id: item.id,
    model: "mistral-small-ledgerly-v3",
    response:
      `Answer ${i}: open the payment and choose Payments > Refund. Partial refunds are supported.`,
    latency_ms: 500,
    usage: { prompt_tokens: 60, completion_tokens: 25, total_tokens: 85 },
  }));
  const evalset = await writeArtifact({
    kind: "evalset",
    out: `${root}/in`,
    command: "sample",
    params: { bench: N },
    files: { "evalset.jsonl": toJsonl(items) },
  });
  const gen = await writeArtifact({
    kind: "responses",
    out: `${root}/in`,
    command: "generate",
    params: { bench: N },
    files: { "responses.jsonl": toJsonl(responses) },
  });
  return { evalset: evalset.dir, responses: gen.dir };
}

async function judgeOnce(
  label: string,
  url: string,
  input: { evalset: string; responses: string },
  out: string,
  cacheDir?: string,
  concurrency = CONCURRENCY,
) {
  const start = performance.now();
  const result = await runJudge(input.evalset, {
    judge: "gpt-4o",
    responses: input.responses,
    out,
    cacheDir: cacheDir ?? `${out}/.cache`,
    clientOptions: { baseURL: url, apiKey: "bench", concurrency, maxAttempts: 8 },
    reporter: createReporter({ quiet: true }),
  });
  const seconds = (performance.now() - start) / 1000;
  const ids = result.judgments.map((j) => j.item_id);
  const unique = new Set(ids).size;
  return { label, seconds, result, ids: ids.length, unique };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * One process from launch: ms to its first request at the server, and to its exit.
 * The server runs in this process, so both clocks are the same `performance.now()`;
 * an argument `BENCH_URL_PLACEHOLDER` becomes the server's URL (so does `$BENCH_URL`).
 */
async function launch(args: string[]) {
  const server = await startOpenAIServer({ latencyMs: 0 });
  const a = args.map((x) => (x === "BENCH_URL_PLACEHOLDER" ? server.url : x));
  const t0 = performance.now();
  const status = await new Deno.Command(Deno.execPath(), {
    args: a,
    env: { BENCH_URL: server.url, OPENAI_API_KEY: "bench", OPENAI_BASE_URL: "", NO_COLOR: "1" },
    stdout: "null",
    stderr: "piped",
  }).output();
  const exit = performance.now() - t0;
  const first = server.log[0]?.at;
  await server.close();
  if (!status.success || first === undefined) {
    throw new Error(`${a.join(" ")} failed: ${new TextDecoder().decode(status.stderr)}`);
  }
  return { first: first - t0, exit };
}

/**
 * Start-up: launch → first request and launch → exit for `evalkit judge` on one
 * item and for the bare client, alternating, medians of RUNS each.
 */
async function startup(root: string, say: (s: string) => void) {
  const one = await inputs(`${root}/one`, 1);
  const judge = (out: string) => [
    "run",
    "-A",
    "lib/cli.ts",
    "judge",
    "--evalset",
    one.evalset,
    "--responses",
    one.responses,
    "--judge",
    "gpt-4o",
    "--no-cache",
    "--out",
    out,
  ];
  const bare = ["run", "-A", "bench/bare_client.ts"];
  const j: { first: number; exit: number }[] = [];
  const b: { first: number; exit: number }[] = [];
  await launch(bare); // warm the module cache once for both
  await launch(withUrl(judge(`${root}/warm`)));
  for (let i = 0; i < RUNS; i++) {
    b.push(await launch(bare));
    const out = `${root}/startup-${i}`;
    j.push(await launch(withUrl(judge(out))));
  }
  const jf = median(j.map((x) => x.first)), bf = median(b.map((x) => x.first));
  const je = median(j.map((x) => x.exit)), be = median(b.map((x) => x.exit));
  say(
    `4. start-up (medians of ${RUNS}, alternating): launch → first request: evalkit judge ${
      jf.toFixed(0)
    } ms, ` +
      `bare openai client ${bf.toFixed(0)} ms, ratio ${(jf / bf).toFixed(2)} (target ≤ 1.5)`,
  );
  say(
    `   one item end to end (launch → exit, artifact written): evalkit judge ${
      je.toFixed(0)
    } ms, ` +
      `bare client ${be.toFixed(0)} ms, ratio ${(je / be).toFixed(2)} (target ≤ 1.5)`,
  );
}

function withUrl(args: string[]): string[] {
  const a = [...args];
  a.splice(a.indexOf("--no-cache"), 0, "--base-url", "BENCH_URL_PLACEHOLDER");
  return a;
}

if (import.meta.main && Deno.env.get("BENCH_ONLY") === "startup") {
  // `BENCH_ONLY=startup deno task bench:judge`: section 4 alone (a minute, not five).
  const root = await Deno.makeTempDir({ prefix: "evalkit-bench-startup-" });
  await startup(root, (s) => console.log(s));
  await Deno.remove(root, { recursive: true });
} else if (import.meta.main) {
  const root = await Deno.makeTempDir({ prefix: "evalkit-bench-judge-" });
  const input = await inputs(root);
  const lines: string[] = [];
  const say = (s: string) => {
    lines.push(s);
    console.log(s);
  };
  say(`judge bench: ${N} items, ${LATENCY_MS} ms per request, concurrency ${CONCURRENCY}`);
  say(`ideal N × latency / C = ${IDEAL_S.toFixed(2)} s`);

  // 1. Clean.
  let server = await startOpenAIServer({ latencyMs: LATENCY_MS });
  const clean = await judgeOnce("clean", server.url, input, `${root}/clean`);
  const cleanRequests = server.chatRequests();
  say(
    `1. clean:        ${clean.seconds.toFixed(2)} s  ratio ${
      (clean.seconds / IDEAL_S).toFixed(3)
    }` +
      `  (target ≤ 1.15)  judged ${clean.result.stats.ok}/${N}, unique ${clean.unique}, requests ${cleanRequests}`,
  );

  // 3. Reruns against the same server: zero requests.
  const before = server.requests();
  await judgeOnce("rerun", server.url, input, `${root}/clean`);
  const rerunRequests = server.requests() - before;
  const cached = await judgeOnce(
    "cached",
    server.url,
    input,
    `${root}/cached`,
    `${root}/clean/.cache`,
  );
  const cachedRequests = server.requests() - before - rerunRequests;
  await server.close();

  // 2. Faults: 5% 429 (retry-after 0.5 s) and 5% 500, drawn per request from a seeded hash.
  server = await startOpenAIServer({
    latencyMs: LATENCY_MS,
    faults: randomFaults({
      rate: 0.1,
      seed: 42,
      maxAttempt: 3,
      kinds: [{ type: "rate_limit", retryAfterSeconds: 0.5 }, {
        type: "server_error",
        status: 500,
      }],
    }),
  });
  const faulty = await judgeOnce("faults", server.url, input, `${root}/faults`);
  const faults = server.log.filter((l) => l.fault);
  say(
    `2. 10% 429/500:  ${faulty.seconds.toFixed(2)} s  ratio ${
      (faulty.seconds / IDEAL_S).toFixed(3)
    }` +
      `  judged ${faulty.result.stats.ok}/${N}, unique ${faulty.unique}, duplicates ${
        faulty.ids - faulty.unique
      }; ${faults.filter((f) => f.fault === "rate_limit").length} × 429 and ${
        faults.filter((f) => f.fault === "server_error").length
      } × 500 injected, ${faulty.result.stats.retries} retries, ` +
      `concurrency went down to ${faulty.result.stats.lowest_concurrency}`,
  );
  await server.close();
  say(
    `3. cached rerun: requests made ${cachedRequests} (fresh --out, run 1's cache: ${cached.result.stats.cached} cached); ` +
      `rerun of the finished run: requests made ${rerunRequests}`,
  );
  // 5. The configuration: 480 items × 200 ms at concurrency 16.
  {
    const small = await inputs(`${root}/480`, 480);
    const s480 = await startOpenAIServer({ latencyMs: LATENCY_MS });
    const r = await judgeOnce("480", s480.url, small, `${root}/480/out`, `${root}/480/.cache`, 16);
    await s480.close();
    const ideal = (480 * LATENCY_MS) / 16 / 1000;
    say(
      `5. 480 items × ${LATENCY_MS} ms / 16: ${r.seconds.toFixed(2)} s, ideal ${
        ideal.toFixed(2)
      } s, ratio ${
        (r.seconds / ideal).toFixed(3)
      } (target ≤ 1.10), judged ${r.result.stats.ok}/480`,
    );
  }
  await startup(root, say);
  const ok = clean.result.stats.ok === N && clean.unique === N && faulty.result.stats.ok === N &&
    faulty.unique === N && cachedRequests === 0 && rerunRequests === 0;
  say(ok ? "all checks passed" : "CHECKS FAILED");
  await Deno.remove(root, { recursive: true });
  if (!ok) Deno.exit(1);
}
