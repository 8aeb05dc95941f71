import assert from "node:assert/strict";
import { z } from "zod";
import { openJournal } from "./journal.ts";

const Row = z.object({ id: z.string(), n: z.number() });

Deno.test("openJournal() cuts a torn last line and ignores repeated ids", async () => {
  const path = `${await Deno.makeTempDir()}/sub/j.jsonl`;
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await Deno.writeTextFile(
    path,
    '{"id":"a","n":1}\n{"id":"b","n":2}\n{"id":"a","n":9}\n{"id":"c","n":',
  );
  const j = await openJournal(path, Row, (r) => r.id);
  assert.deepEqual([...j.existing.keys()], ["a", "b"]);
  assert.equal(j.existing.get("a")!.n, 1, "the first record of an id wins");
  assert.equal(j.dropped, 2);
  assert.equal(j.has("c"), false);
  await j.append("c", { id: "c", n: 3 });
  await j.append("a", { id: "a", n: 4 }); // already there: ignored
  await j.close();
  assert.equal(
    await Deno.readTextFile(path),
    '{"id":"a","n":1}\n{"id":"b","n":2}\n{"id":"a","n":9}\n{"id":"c","n":3}\n',
  );
  const again = await openJournal(path, Row, (r) => r.id);
  assert.deepEqual([...again.existing.keys()], ["a", "b", "c"]);
  await again.close();
});

Deno.test("openJournal() keeps every one of many concurrent appends, each whole on its line", async () => {
  const path = `${await Deno.makeTempDir()}/j.jsonl`;
  const j = await openJournal(path, Row, (r) => r.id);
  await Promise.all(
    Array.from({ length: 500 }, (_, i) => j.append(`k${i}`, { id: `k${i}`, n: i })),
  );
  await j.close();
  const lines = (await Deno.readTextFile(path)).trimEnd().split("\n");
  assert.equal(lines.length, 500);
  assert.deepEqual(new Set(lines.map((l) => Row.parse(JSON.parse(l)).id)).size, 500);
});
