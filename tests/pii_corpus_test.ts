import assert from "node:assert/strict";
import { anonymizeText } from "../lib/sample/anonymize.ts";
import { leaked, piiCorpusPaths, readPiiCorpus, scorePiiCorpus } from "../lib/sample/pii_eval.ts";

const { corpus, lookalikes } = await readPiiCorpus();

Deno.test("the independent PII corpus covers every type, form and look-alike kind the issue names", () => {
  const types = new Set(corpus.map((r) => r.type));
  for (const t of ["email", "phone", "card", "ssn", "ipv4", "ipv6", "iban", "secret", "address"]) {
    assert.ok(types.has(t), t);
  }
  const forms = new Set(corpus.map((r) => r.form));
  for (
    const f of ["quoted-local", "idn-domain", "punycode", "loopback", "unspecified", "zone-id"]
  ) {
    assert.ok(forms.has(f), f);
  }
  const countries = new Set(
    corpus.filter((r) => r.type === "phone").map((r) => r.form.slice(0, 2)),
  );
  assert.ok(countries.size >= 15, `${countries.size} phone countries`);
  const ibanCountries = new Set(
    corpus.filter((r) => r.type === "iban").map((r) => r.form.slice(0, 2)),
  );
  assert.ok(ibanCountries.size >= 89, `${ibanCountries.size} IBAN countries`);
  for (const l of [12, 13, 14, 15, 16, 17, 18, 19]) {
    assert.ok(
      corpus.some((r) => r.type === "card" && r.form.includes(`-${l}`)),
      `card length ${l}`,
    );
  }
  const kinds = new Set(lookalikes.map((l) => l.kind));
  for (
    const k of [
      "iban-bad-check",
      "card-bad-luhn",
      "order-number",
      "tracking-number",
      "version",
      "date",
      "amount",
      "isbn",
      "uuid",
      "git-sha",
      "error-code",
    ]
  ) {
    assert.ok(kinds.has(k), k);
  }
  for (const r of [...corpus, ...lookalikes]) {
    assert.equal(r.text.slice(r.start, r.end), r.value, r.id);
  }
});

Deno.test("anonymizeText() leaks no value of the independent corpus", () => {
  const score = scorePiiCorpus(corpus, lookalikes);
  const leaks = Object.values(score.recall).flatMap((r) => r.leaked);
  const shown = leaks.slice(0, 10).map((id) => {
    const r = corpus.find((c) => c.id === id)!;
    return `${id} (${r.form}): ${JSON.stringify(r.text)} -> ${
      JSON.stringify(anonymizeText(r.text).text)
    }`;
  });
  assert.deepEqual(shown, [], `${leaks.length} corpus values leaked`);
});

Deno.test("anonymizeText() leaves ≥ 99% of every look-alike kind whole and unchanged", () => {
  const score = scorePiiCorpus(corpus, lookalikes);
  for (const [kind, k] of Object.entries(score.lookalikes)) {
    const examples = k.ids.slice(0, 3).map((id) => {
      const l = lookalikes.find((x) => x.id === id)!;
      return `${JSON.stringify(l.text)} -> ${JSON.stringify(anonymizeText(l.text).text)}`;
    });
    assert.ok(
      k.share <= 0.01,
      `${kind}: ${k.altered} of ${k.values} altered: ${examples.join("; ")}`,
    );
  }
});

Deno.test("leaked() counts a partly masked value as a leak and a whole placeholder as hidden", () => {
  const r = {
    id: "x",
    type: "iban",
    form: "GI",
    text: "IBAN: GI75 NWBK 0000 0000 7099 453 ok",
    value: "GI75 NWBK 0000 0000 7099 453",
    start: 6,
    end: 34,
  };
  assert.ok(leaked(r, "IBAN: GI75 NWBK <PHONE_1> ok"));
  assert.ok(leaked(r, r.text));
  assert.ok(!leaked(r, "IBAN: <IBAN_1> ok"));
});

Deno.test("the committed corpus is what make_corpus.ts writes", async () => {
  const out = await Deno.makeTempDir();
  try {
    const run = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("./fixtures/pii/make_corpus.ts", import.meta.url).pathname,
        "--out",
        out,
      ],
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.equal(run.code, 0, new TextDecoder().decode(run.stderr));
    const p = piiCorpusPaths();
    for (
      const [name, committed] of [["corpus", p.corpus], ["lookalikes", p.lookalikes], [
        "names",
        p.names,
      ]]
    ) {
      const fresh = await Deno.readTextFile(`${out}/${name}.jsonl`);
      assert.equal(
        fresh,
        await Deno.readTextFile(committed),
        `${name}.jsonl differs: rerun make_corpus.ts`,
      );
    }
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
