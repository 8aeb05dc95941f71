import assert from "node:assert/strict";
import { createAimdLimiter, createRateGate } from "./limiter.ts";

Deno.test("createAimdLimiter() halves the limit once per burst of 429s", async () => {
  const limiter = createAimdLimiter({ max: 16 });
  const tickets = await Promise.all(Array.from({ length: 16 }, () => limiter.acquire()));
  assert.equal(limiter.inFlight, 16);
  // A burst: every request in flight comes back 429. The eleventh lifts the share of 429s
  // over 10%: one cut, not sixteen (the rest were in flight before it).
  for (const t of tickets) limiter.release(t, "rate_limited");
  assert.equal(limiter.limit, 8);
  assert.equal(limiter.cuts, 1);
  // A 429 from a request started after the cut cuts again.
  const t = await limiter.acquire();
  limiter.release(t, "rate_limited");
  assert.equal(limiter.limit, 4);
  assert.equal(limiter.cuts, 2);
  assert.equal(limiter.lowest, 4);
});

Deno.test("createAimdLimiter() recovers additively: about one slot per window of successes", async () => {
  const limiter = createAimdLimiter({ max: 8, tolerance: 0 });
  const t0 = await limiter.acquire();
  limiter.release(t0, "rate_limited");
  assert.equal(limiter.limit, 4);
  let successes = 0;
  while (limiter.limit < 5) {
    limiter.release(await limiter.acquire(), "ok");
    successes++;
  }
  assert.equal(successes, 4, "a window of 4 successes adds one slot");
  while (limiter.limit < 8) limiter.release(await limiter.acquire(), "ok");
  limiter.release(await limiter.acquire(), "ok");
  assert.equal(limiter.limit, 8, "never above max");
});

Deno.test("createAimdLimiter() never lets more than floor(limit) requests in flight", async () => {
  const limiter = createAimdLimiter({ max: 4, min: 1, tolerance: 0 });
  const first = await Promise.all([
    limiter.acquire(),
    limiter.acquire(),
    limiter.acquire(),
    limiter.acquire(),
  ]);
  let fifth = false;
  const waiting = limiter.acquire().then((t) => {
    fifth = true;
    return t;
  });
  await Promise.resolve();
  assert.equal(fifth, false);
  limiter.release(first[0], "rate_limited"); // limit 2, 3 still in flight: the fifth waits
  await Promise.resolve();
  assert.equal(fifth, false);
  limiter.release(first[1], "error");
  limiter.release(first[2], "error"); // 1 in flight < 2
  const t = await waiting;
  assert.equal(fifth, true);
  assert.equal(limiter.inFlight, 2);
  limiter.release(t, "ok");
  limiter.release(first[3], "ok");
  // The floor: cuts never go below min.
  for (let i = 0; i < 10; i++) limiter.release(await limiter.acquire(), "rate_limited");
  assert.equal(limiter.limit, 1);
});

Deno.test("createAimdLimiter() tolerates sporadic 429s but cuts when they pass the tolerance", async () => {
  const limiter = createAimdLimiter({ max: 32, tolerance: 0.1 });
  // One request in fifteen is a 429: retried, no cut.
  for (let i = 0; i < 100; i++) {
    limiter.release(await limiter.acquire(), i % 15 === 5 ? "rate_limited" : "ok");
  }
  assert.equal(limiter.cuts, 0);
  assert.equal(limiter.limit, 32);
  // A burst of six lifts the share over 10%: one cut.
  const burst = await Promise.all(Array.from({ length: 6 }, () => limiter.acquire()));
  for (const t of burst) limiter.release(t, "rate_limited");
  assert.equal(limiter.cuts, 1);
  assert.equal(limiter.limit, 16);
});

Deno.test("createRateGate() paces requests to the rpm cap", async () => {
  let now = 0;
  const gate = createRateGate({
    rpm: 120,
    now: () => now,
    sleep: (ms) => {
      now += ms;
      return Promise.resolve();
    },
  });
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    await gate.acquire(0);
    times.push(now);
  }
  // Two per second, a burst of two at the start.
  assert.deepEqual(times.slice(0, 2), [0, 0]);
  assert.ok(times[9] >= 3999 && times[9] <= 4001, String(times[9]));
});

Deno.test("createRateGate() paces tokens to the tpm cap and settles estimates", async () => {
  let now = 0;
  const gate = createRateGate({
    tpm: 6000,
    now: () => now,
    sleep: (ms) => {
      now += ms;
      return Promise.resolve();
    },
  });
  await gate.acquire(100); // the bucket holds one second: 100 tokens
  await gate.acquire(100);
  assert.ok(now >= 999 && now <= 1001, String(now));
  gate.settle(100, 0); // the request used nothing: 100 tokens back
  const before = now;
  await gate.acquire(100);
  assert.equal(now, before);
});
