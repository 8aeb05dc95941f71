import assert from "node:assert/strict";
import { detectInjection } from "./injection.ts";
import { ADVERSARIAL } from "./_fixtures.ts";

Deno.test("detectInjection() flags every adversarial response", () => {
  assert.ok(ADVERSARIAL.length >= 10);
  for (const text of ADVERSARIAL) {
    assert.equal(detectInjection(text).suspicious, true, text);
  }
});

Deno.test("detectInjection() names the rules that matched", () => {
  assert.deepEqual(detectInjection(ADVERSARIAL[0]).rules, [
    "override_instructions",
    "instruct_score",
  ]);
  assert.deepEqual(detectInjection(ADVERSARIAL[1]).rules, ["fake_score_json"]);
  assert.ok(detectInjection(ADVERSARIAL[2]).rules.includes("fake_delimiter"));
  assert.ok(detectInjection(ADVERSARIAL[7]).rules.includes("role_play"));
});

Deno.test("detectInjection() leaves ordinary support answers alone", () => {
  const ordinary = [
    "The VAT rate is 5% and payouts take 5 business days.",
    "Give it 5 minutes and refresh the page.",
    "You are now able to send invoices in EUR.",
    "1. Open Settings > Payments.\n2. Turn on ACH.\n3. Save.",
    "I'm not certain about this, so please confirm with our support team before relying on it.",
    "Rate limits reset every 60 seconds; the API returns 429 with a retry-after header.",
    "Late fees can be 1.5% per month or a flat $25.",
    "Your score on the credit check does not affect invoicing.",
  ];
  for (const text of ordinary) assert.equal(detectInjection(text).suspicious, false, text);
});

const DEMO = new URL("../../data/demo/", import.meta.url);

Deno.test({
  name: "detectInjection() flags none of the demo world's responses and queries",
  fn: async () => {
    const texts: string[] = [];
    for (const sub of ["responses", "case_responses"]) {
      for await (const f of Deno.readDir(new URL(sub, DEMO))) {
        const body = await Deno.readTextFile(new URL(`${sub}/${f.name}`, DEMO));
        for (const line of body.trim().split("\n")) texts.push(JSON.parse(line).response);
      }
    }
    for (const line of (await Deno.readTextFile(new URL("logs.jsonl", DEMO))).trim().split("\n")) {
      const r = JSON.parse(line);
      if (r.response) texts.push(r.response);
      if (r.query) texts.push(r.query);
      for (const m of r.messages ?? []) texts.push(m.content);
    }
    assert.ok(texts.length > 10_000);
    const flagged = texts.filter((t) => detectInjection(t).suspicious);
    assert.deepEqual(flagged, []);
  },
});
