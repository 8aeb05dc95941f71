import assert from "node:assert/strict";
import { collectRecords, ProdLogRecord, withDuckDB } from "../lib/mod.ts";
import {
  chatTurns,
  contextText,
  displayTurns,
  mapMessageTexts,
  messageText,
  queryText,
} from "../lib/messages.ts";
import { queryTextSql } from "../lib/sample/sql.ts";
import { startPostgres } from "../lib/testing/postgres.ts";

const FIXTURE = new URL("./fixtures/formats/messages.jsonl", import.meta.url).pathname;

/** The texts a reader of the OpenAI chat shape should see, written out by hand. */
const EXPECTED: Record<string, string> = {
  "oa-1": "Why was I charged twice on my May invoice?",
  "oa-2": "What does this error screen mean? [image]",
  "oa-3": [
    "Resend invoice INV-2291 to my accountant",
    '[tool call: resend_invoice({"invoice":"INV-2291","to":"accountant"})]',
    '[tool result] {"status":"sent"}',
    "Done: INV-2291 was sent.",
    "thanks, and the one from April?",
  ].join("\n"),
  "oa-4": "Here is my contract, can you cancel it? [file: contract.pdf]",
  "oa-5": [
    "[audio]",
    "[refusal] I can't transcribe this recording.",
    "ok, in writing then: how do I export my data?",
  ].join("\n"),
  "oa-6": [
    "What is the weather in Boston?",
    '[tool call: get_weather({"city":"Boston"})]',
    '[function result: get_weather] {"temp":22}',
    "and tomorrow?",
  ].join("\n"),
  "oa-7": "Update my card [image] [file: card.jpg]",
  "oa-8": "Why was I charged twice on my May invoice?",
};

async function fixture() {
  const read = await collectRecords(FIXTURE, ProdLogRecord, { key: ["id"] });
  assert.deepEqual(read.issues, []);
  return read.records;
}

Deno.test("queryText() reads OpenAI-shaped turns: parts, placeholders, tool calls, results, refusals", async () => {
  const logs = await fixture();
  assert.equal(logs.length, 8);
  for (const r of logs) assert.equal(queryText(r), EXPECTED[r.id], r.id);
});

Deno.test("the system and developer prompts are context, never the query", async () => {
  const logs = await fixture();
  const byId = new Map(logs.map((r) => [r.id, r]));
  assert.equal(contextText(byId.get("oa-1")!.messages!), "You are Ledgerly's support assistant.");
  assert.equal(contextText(byId.get("oa-2")!.messages!), "Answer in English.");
  assert.ok(!queryText(byId.get("oa-8")!).includes("plan=pro"));
  // A turn after the last user turn (the answer being logged) is not the query either.
  assert.ok(!queryText(byId.get("oa-7")!).includes("Settings"));
  const turns = displayTurns(byId.get("oa-2")!);
  assert.deepEqual(turns.map((t) => t.role), ["developer", "user"]);
  assert.deepEqual(chatTurns(byId.get("oa-3")!).map((t) => t.role), [
    "user",
    "assistant",
    "user",
    "assistant",
    "user",
  ]);
  assert.equal(chatTurns(byId.get("oa-2")!)[0].role, "system");
});

Deno.test("messageText() of an assistant turn with null content shows its tool call", () => {
  assert.equal(
    messageText({
      role: "assistant",
      content: null,
      tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "{}" } }],
    }),
    "[tool call: f({})]",
  );
});

Deno.test("mapMessageTexts() reaches every free text: content, parts, refusals, tool arguments", async () => {
  const logs = await fixture();
  const all = logs.flatMap((r) => r.messages ?? []);
  const upper = mapMessageTexts(all, (t) => t.toUpperCase());
  const text = upper.map(messageText).join("\n");
  assert.match(text, /RESEND INVOICE INV-2291/);
  assert.match(text, /\{"INVOICE":"INV-2291"/);
  assert.match(text, /\[refusal\] I CAN'T TRANSCRIBE/);
  assert.match(text, /\[file: contract\.pdf\]/, "file names are kept, not rewritten");
  assert.notDeepEqual(upper, all);
  assert.equal(all[0].content, "You are Ledgerly's support assistant.", "the input is not mutated");
});

Deno.test("DuckDB computes exactly queryText() for every fixture record", async () => {
  const rows = await withDuckDB(async (conn) =>
    (await conn.runAndReadAll(
      `SELECT id, ${queryTextSql("duckdb")} AS text FROM read_json('${FIXTURE}',
         format = 'newline_delimited', columns = {id: 'VARCHAR', query: 'VARCHAR', messages: 'JSON'})
       ORDER BY id`,
    )).getRowObjectsJson()
  );
  assert.equal(rows.length, 8);
  for (const r of rows) assert.equal(r.text, EXPECTED[String(r.id)], String(r.id));
});

Deno.test("PostgreSQL computes exactly queryText() for every fixture record", async () => {
  const pg = await startPostgres();
  try {
    await pg.psql("CREATE TABLE logs (id text, query text, messages jsonb)");
    const lines = (await Deno.readTextFile(FIXTURE)).trim().split("\n");
    for (const line of lines) {
      const v = JSON.parse(line);
      const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;
      await pg.psql(
        `INSERT INTO logs VALUES (${lit(v.id)}, NULL, ${lit(JSON.stringify(v.messages))}::jsonb)`,
      );
    }
    const out = await pg.psql(
      `SELECT json_agg(json_build_object('id', id, 'text', ${
        queryTextSql("postgres")
      }) ORDER BY id) FROM logs`,
    );
    const rows = JSON.parse(out) as { id: string; text: string }[];
    assert.equal(rows.length, 8);
    for (const r of rows) assert.equal(r.text, EXPECTED[r.id], r.id);
  } finally {
    await pg.stop();
  }
});
