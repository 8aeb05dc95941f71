import assert from "node:assert/strict";
import type { Reporter } from "../reporter.ts";
import { budgetLedger, poolProgress } from "./_pool.ts";

Deno.test("budgetLedger() refuses a reservation that could pass the budget, counting what is reserved", () => {
  const ledger = budgetLedger(1, 0.25);
  assert.equal(ledger.reserve(0.5), 0.5);
  assert.equal(ledger.reserve(0.5), null, "0.25 spent + 0.5 reserved + 0.5 > 1");
  assert.equal(ledger.reserve(0.25), 0.25, "reaching the budget exactly is allowed");
  ledger.release(0.5);
  assert.equal(ledger.reserve(0.5), 0.5, "a released reservation frees its room");
  assert.equal(ledger.reserve(0.25), null, "0.25 spent + 0.75 reserved + 0.25 > 1");
  assert.equal(budgetLedger(undefined, 100).reserve(1e9), 1e9, "no budget: anything goes");
});

Deno.test("budgetLedger() scales estimates up by how far real costs ran above them, never down", () => {
  const ledger = budgetLedger(undefined, 1);
  ledger.record(1, 0.5);
  assert.equal(ledger.reserve(0.5), 0.5, "costs below estimates do not scale down");
  ledger.record(1, 2.5); // estimated 2, spent 3
  assert.equal(ledger.reserve(0.5), 0.75);
  ledger.record(0, 4); // a task without an estimate does not change the scale
  assert.equal(ledger.reserve(0.5), 0.75);
  assert.equal(ledger.spent, 8);
  assert.equal(ledger.spentHere, 7);
});

Deno.test("poolProgress() writes at most one line per interval unless forced, with done counting resumed items", () => {
  const lines: string[] = [];
  const reporter: Reporter = {
    info: () => {},
    warn: () => {},
    progress: (m) => lines.push(m),
    warnings: [],
  };
  let t = 0;
  const progress = poolProgress(
    {
      label: "judge",
      concurrency: 1,
      run: () => Promise.resolve({ costUsd: 0 }),
      reporter,
      alreadyDone: 2,
      priced: false,
    },
    10,
    0,
    () => t,
  );
  const counts = { finished: 1, failed: 0, unfinished: 0, spentUsd: 0 };
  progress(false, counts);
  t = 500;
  progress(false, counts);
  progress(true, { ...counts, finished: 3 });
  t = 1400;
  progress(false, counts);
  t = 1500;
  progress(false, { ...counts, finished: 4, failed: 1 });
  assert.equal(lines.length, 3);
  assert.match(lines[0], /^judge 3\/10 30% · /);
  assert.match(lines[1], /^judge 5\/10 50% · 10\.0\/s · ETA 1s · cost unknown · 0 failed$/);
  assert.match(lines[2], /^judge 6\/10 60% · .* · 1 failed$/);
  const silent = poolProgress(
    { label: "x", concurrency: 1, run: () => Promise.reject() },
    1,
    0,
    () => {
      throw new Error("no reporter: the clock is not read");
    },
  );
  silent(true, counts);
});
