import assert from "node:assert/strict";
import { APIConnectionError, APIError } from "openai";
import {
  backoffDelay,
  classifyFailure,
  RequestFailedError,
  retryAfterMs,
  withRetry,
} from "./retry.ts";

function apiError(status: number, headers: Record<string, string> = {}): APIError {
  return APIError.generate(
    status,
    { message: `status ${status}` },
    undefined,
    new Headers(headers),
  );
}

Deno.test("retryAfterMs() reads retry-after-ms, seconds and HTTP dates", () => {
  assert.equal(retryAfterMs(new Headers({ "retry-after-ms": "250" })), 250);
  assert.equal(retryAfterMs(new Headers({ "retry-after": "1.5" })), 1500);
  const now = Date.parse("2026-01-01T00:00:00Z");
  assert.equal(
    retryAfterMs(new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:03 GMT" }), () => now),
    3000,
  );
  assert.equal(retryAfterMs(new Headers({})), null);
  assert.equal(retryAfterMs(new Headers({ "retry-after": "soon" })), null);
});

Deno.test("classifyFailure() retries 429, 5xx, timeouts and dropped connections only", () => {
  const rate = classifyFailure(apiError(429, { "retry-after": "2" }));
  assert.deepEqual([rate.kind, rate.rateLimited, rate.retryAfterMs], ["transient", true, 2000]);
  assert.equal(classifyFailure(apiError(500)).kind, "transient");
  assert.equal(classifyFailure(apiError(503)).kind, "transient");
  assert.equal(classifyFailure(apiError(408)).kind, "transient");
  assert.equal(
    classifyFailure(new APIConnectionError({ message: "Connection error." })).kind,
    "transient",
  );
  assert.equal(
    classifyFailure(new TypeError("error reading a body from connection")).kind,
    "transient",
  );
  assert.equal(classifyFailure(apiError(400)).kind, "permanent");
  assert.equal(classifyFailure(apiError(422)).kind, "permanent");
  assert.equal(classifyFailure(apiError(401)).kind, "fatal");
  assert.equal(classifyFailure(apiError(404)).kind, "fatal");
});

Deno.test("backoffDelay() grows exponentially with jitter, capped, or honours retry-after", () => {
  const low = { random: () => 0 };
  const high = { random: () => 0.999999 };
  assert.equal(backoffDelay(1, null, low), 250);
  assert.equal(backoffDelay(1, null, high), 500);
  assert.equal(backoffDelay(3, null, low), 1000);
  assert.equal(backoffDelay(3, null, high), 2000);
  assert.equal(backoffDelay(20, null, { ...high, maxDelayMs: 20_000 }), 20_000);
  assert.equal(backoffDelay(1, 3000, low), 3000);
  assert.ok(backoffDelay(1, 3000, high) <= 3300);
  assert.equal(backoffDelay(1, 600_000, { ...low, maxRetryAfterMs: 120_000 }), 120_000);
});

Deno.test("withRetry() retries transient failures up to maxAttempts, waiting as told", async () => {
  const waits: number[] = [];
  let calls = 0;
  const value = await withRetry(() => {
    calls++;
    if (calls < 3) throw apiError(429, { "retry-after": "1" });
    return Promise.resolve("ok");
  }, {
    random: () => 0,
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
  });
  assert.equal(value, "ok");
  assert.deepEqual(waits, [1000, 1000]);

  calls = 0;
  await assert.rejects(
    withRetry(() => {
      calls++;
      throw apiError(500);
    }, { maxAttempts: 4, sleep: async () => {} }),
    (e: unknown) =>
      e instanceof RequestFailedError && e.kind === "transient" && e.attempts === 4 &&
      /after 4 attempts/.test(e.message),
  );
  assert.equal(calls, 4);

  calls = 0;
  await assert.rejects(
    withRetry(() => {
      calls++;
      throw apiError(400);
    }, { sleep: async () => {} }),
    (e: unknown) => e instanceof RequestFailedError && e.kind === "permanent" && e.status === 400,
  );
  assert.equal(calls, 1, "a 400 is not retried");
});
