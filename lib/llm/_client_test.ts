import assert from "node:assert/strict";
import { APIError } from "openai";
import { limitedBy } from "./_client.ts";

function recorder() {
  const events: string[] = [];
  const gate = {
    acquire: (tokens: number) => {
      events.push(`gate ${tokens}`);
      return Promise.resolve();
    },
  };
  let n = 0;
  const limiter = {
    acquire: () => {
      events.push("slot");
      return Promise.resolve({ id: ++n } as never);
    },
    release: (ticket: unknown, outcome: string) => {
      events.push(`release ${(ticket as { id: number }).id} ${outcome}`);
    },
  };
  return { events, gate, limiter };
}

Deno.test("limitedBy() waits for the gate, then a slot, and releases it as ok, rate_limited or error", async () => {
  const { events, gate, limiter } = recorder();
  const stats = { succeeded: 0 };
  const limited = limitedBy(gate, limiter, stats);
  assert.equal(await limited(() => Promise.resolve("a"), 120), "a");
  const rateLimited = new APIError(429, {}, "slow down", new Headers());
  await assert.rejects(
    () => limited(() => Promise.reject(rateLimited), 0),
    (e) => e === rateLimited,
  );
  const serverError = new APIError(500, {}, "boom", new Headers());
  await assert.rejects(
    () => limited(() => Promise.reject(serverError), 0),
    (e) => e === serverError,
  );
  await assert.rejects(() => limited(() => Promise.reject(new TypeError("net")), 0), TypeError);
  assert.deepEqual(events, [
    "gate 120",
    "slot",
    "release 1 ok",
    "gate 0",
    "slot",
    "release 2 rate_limited",
    "gate 0",
    "slot",
    "release 3 error",
    "gate 0",
    "slot",
    "release 4 error",
  ]);
  assert.equal(stats.succeeded, 1);
});
