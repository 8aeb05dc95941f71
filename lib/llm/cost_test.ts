import assert from "node:assert/strict";
import { costUsd, DEFAULT_PRICES, estimateTokens, loadPrices, priceFor } from "./cost.ts";

Deno.test("priceFor() matches exact names, dated snapshots, provider paths and prefixes", () => {
  assert.equal(priceFor(DEFAULT_PRICES, "gpt-4o")?.entry, "gpt-4o");
  assert.equal(priceFor(DEFAULT_PRICES, "gpt-4o-2024-08-06")?.entry, "gpt-4o");
  assert.equal(priceFor(DEFAULT_PRICES, "gpt-4o-mini-2024-07-18")?.entry, "gpt-4o-mini");
  assert.equal(priceFor(DEFAULT_PRICES, "claude-sonnet-4-20250514")?.entry, "claude-sonnet-4");
  assert.equal(priceFor(DEFAULT_PRICES, "openai/gpt-4.1-mini")?.entry, "gpt-4.1-mini");
  assert.equal(priceFor(DEFAULT_PRICES, "gpt-4.1-mini-fast")?.entry, "gpt-4.1-mini");
  assert.equal(priceFor(DEFAULT_PRICES, "house-model"), undefined);
});

Deno.test("costUsd() multiplies usage by the price per million tokens, halved for batches", () => {
  const price = { input: 2.5, output: 10 };
  const usage = { prompt_tokens: 2000, completion_tokens: 500 };
  assert.equal(costUsd(usage, price), (2000 * 2.5 + 500 * 10) / 1e6);
  assert.equal(
    costUsd(usage, price, { batch: true, batchDiscount: 0.5 }),
    (2000 * 2.5 + 500 * 10) / 2e6,
  );
  assert.equal(estimateTokens("abcdefgh"), 2);
  assert.equal(estimateTokens("abcdefghi"), 3);
});

Deno.test("loadPrices() names the file and field of a bad price table", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/prices.json`;
  await Deno.writeTextFile(
    file,
    JSON.stringify({
      as_of: "2026-01-01",
      currency: "USD",
      unit: "per_1m_tokens",
      models: { m: { input: -1, output: 1 } },
    }),
  );
  await assert.rejects(
    () => loadPrices(file),
    (e: unknown) =>
      e instanceof RangeError &&
      e.message.startsWith(`Cannot read "${file}": field "models.m.input": expected >= 0`),
  );
  await Deno.writeTextFile(file, "{");
  await assert.rejects(() => loadPrices(file), SyntaxError);
  await assert.rejects(() => loadPrices(`${dir}/none.json`), /no such file/);
});
