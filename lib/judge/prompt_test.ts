import assert from "node:assert/strict";
import { sha256 } from "../_hash.ts";
import {
  buildJudgeMessages,
  buildReask,
  delimiterTag,
  escapeData,
  fillTemplate,
  loadPrompt,
  parsePrompt,
} from "./prompt.ts";
import { ADVERSARIAL } from "./_fixtures.ts";

const prompt = await loadPrompt();

Deno.test("loadPrompt() reads rubric-v1 with anchors for 1, 3 and 5 of every dimension", async () => {
  assert.equal(prompt.name, "rubric-v1");
  const bytes = await Deno.readFile(new URL("./prompts/rubric-v1.md", import.meta.url));
  assert.equal(prompt.sha256, sha256(bytes));
  for (const dim of ["correctness", "relevance", "clarity", "calibration", "length"]) {
    const start = prompt.system.indexOf(`\n${dim}:`);
    assert.ok(start > 0, dim);
    const section = prompt.system.slice(start, start + 900);
    for (const anchor of ["- 5:", "- 3:", "- 1:"]) {
      assert.ok(section.includes(anchor), `${dim} ${anchor}`);
    }
  }
});

Deno.test("parsePrompt() names the file and what is missing", () => {
  assert.throws(
    () => parsePrompt("<!-- system -->\nbe fair\n<!-- user -->\n{{response}}\n", "p.md"),
    (e: unknown) =>
      e instanceof TypeError &&
      e.message ===
        'Cannot read "p.md": missing the "<!-- reask -->" section (and 2 more problems)',
  );
});

Deno.test("a changed prompt file is a new prompt version (sha256)", () => {
  const text =
    "<!-- system -->\ns\n<!-- user -->\n{{tag}} {{conversation}} {{response}}\n<!-- reask -->\n{{error}}\n";
  const a = parsePrompt(text, "a.md");
  const b = parsePrompt(text.replace("s\n", "s!\n"), "a.md");
  assert.notEqual(a.sha256, b.sha256);
});

Deno.test("fillTemplate() fills in one pass, so data cannot inject placeholders", () => {
  const out = fillTemplate("{{#ref}}R: {{ref}}\n{{/ref}}A: {{response}}", {
    ref: "",
    response: "{{ref}} {{#x}}",
  });
  assert.equal(out, "A: {{ref}} {{#x}}");
});

Deno.test("buildJudgeMessages() puts the data between delimiters the content cannot close", () => {
  const item = {
    id: "q1",
    query: "How do I void an invoice?",
    reference: ["Invoices can be voided within 30 days of issue"],
  };
  for (const response of ADVERSARIAL) {
    const [system, user] = buildJudgeMessages(prompt, item, response);
    assert.equal(system.role, "system");
    const tag = delimiterTag(prompt, item, response);
    assert.match(tag, /^[0-9a-f]{16}$/);
    assert.ok(!response.includes(tag));
    // Exactly one of each delimiter, and the escaped response sits whole between them.
    for (const name of ["CONVERSATION", "REFERENCE", "RESPONSE"]) {
      assert.equal(user.content.split(`<<<BEGIN ${name} ${tag}>>>`).length, 2, name);
      assert.equal(user.content.split(`<<<END ${name} ${tag}>>>`).length, 2, name);
    }
    const body = user.content.split(`<<<BEGIN RESPONSE ${tag}>>>\n`)[1].split(
      `\n<<<END RESPONSE ${tag}>>>`,
    )[0];
    assert.equal(body, escapeData(response));
    assert.ok(!body.includes("<<<") && !body.includes(">>>"));
    // No delimiter of any tag appears outside the template's own.
    const delimiters = user.content.match(/<<<(BEGIN|END) [A-Z ]+ [0-9a-f]+>>>/g) ?? [];
    assert.equal(delimiters.length, 6);
  }
});

Deno.test("buildJudgeMessages() adds a regression case's expected behaviour, and only then", () => {
  const base = { id: "c1", query: "Can I delete a paid invoice?" };
  const [, withCase] = buildJudgeMessages(prompt, {
    ...base,
    expected_behavior: "States that paid invoices must be refunded first.",
  }, "No.");
  assert.match(
    withCase.content,
    /<<<BEGIN EXPECTED BEHAVIOR [0-9a-f]{16}>>>\nStates that paid invoices must be refunded first\.\n<<<END EXPECTED BEHAVIOR/,
  );
  const [, plain] = buildJudgeMessages(prompt, base, "No.");
  assert.ok(!plain.content.includes("EXPECTED BEHAVIOR"));
  assert.ok(!plain.content.includes("REFERENCE"));
});

Deno.test("buildJudgeMessages() sends a multi-turn conversation turn by turn", () => {
  const item = {
    id: "m1",
    messages: [
      { role: "user" as const, content: "How do I refund a client?" },
      { role: "assistant" as const, content: "Use Payments > Refund." },
      { role: "user" as const, content: "and if its already paid?" },
    ],
  };
  const [, user] = buildJudgeMessages(prompt, item, "Then refund it first.");
  assert.match(
    user.content,
    /user: How do I refund a client\?\n\nassistant: Use Payments > Refund\.\n\nuser: and if its already paid\?/,
  );
});

Deno.test("buildReask() sends the problem back", () => {
  const m = buildReask(prompt, "scores.correctness: expected an integer from 1 to 5, received 7");
  assert.equal(m.role, "user");
  assert.ok(m.content.includes("received 7"));
});
