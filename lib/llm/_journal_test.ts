import assert from "node:assert/strict";
import { z } from "zod";
import { type AppendTarget, groupCommit, parseJournal, readJournalFile } from "./_journal.ts";

const Row = z.object({ id: z.string(), n: z.number() });

Deno.test("parseJournal() keeps the first record of each id and counts bad lines and repeats", () => {
  const text =
    '{"id":"a","n":1}\n\n{"id":"b","n":"x"}\nnot json\n{"id":"a","n":2}\n{"id":"c","n":3}\n';
  const { existing, dropped } = parseJournal(text, Row, (r) => r.id);
  assert.deepEqual([...existing], [["a", { id: "a", n: 1 }], ["c", { id: "c", n: 3 }]]);
  assert.equal(dropped, 3);
});

Deno.test("readJournalFile() cuts a torn last line from the file; a missing file is empty", async () => {
  const dir = await Deno.makeTempDir();
  assert.deepEqual(await readJournalFile(`${dir}/none.jsonl`), { text: "", torn: false });
  const path = `${dir}/j.jsonl`;
  await Deno.writeTextFile(path, '{"id":"a"}\n{"id":');
  assert.deepEqual(await readJournalFile(path), { text: '{"id":"a"}\n', torn: true });
  assert.equal(await Deno.readTextFile(path), '{"id":"a"}\n');
  assert.deepEqual(await readJournalFile(path), { text: '{"id":"a"}\n', torn: false });
  await Deno.remove(dir, { recursive: true });
});

/** A target whose writes wait for `release()`, recording each write and sync. */
function slowTarget(maxPerWrite = Infinity) {
  const writes: string[] = [];
  let syncs = 0;
  let release: () => void = () => {};
  let gate = new Promise<void>((r) => (release = r));
  const target: AppendTarget = {
    async write(bytes) {
      await gate;
      const n = Math.min(bytes.length, maxPerWrite);
      writes.push(new TextDecoder().decode(bytes.subarray(0, n)));
      return n;
    },
    syncData() {
      syncs++;
      return Promise.resolve();
    },
  };
  return {
    target,
    writes,
    syncs: () => syncs,
    open() {
      release();
      gate = Promise.resolve();
    },
  };
}

Deno.test("groupCommit() writes lines queued during a write together, then syncs once per group", async () => {
  const t = slowTarget();
  const bytes = (s: string) => new TextEncoder().encode(s);
  const commit = groupCommit(t.target, true);
  const first = commit.push(bytes("a\n"));
  const rest = [commit.push(bytes("b\n")), commit.push(bytes("c\n"))];
  t.open();
  await Promise.all([first, ...rest]);
  await commit.idle();
  assert.deepEqual(t.writes, ["a\n", "b\nc\n"]);
  assert.equal(t.syncs(), 2);
});

Deno.test("groupCommit() finishes a short write, skips syncing when asked, and rejects a failed group", async () => {
  const t = slowTarget(3);
  t.open();
  const commit = groupCommit(t.target, false);
  await commit.push(new TextEncoder().encode("abcdefg\n"));
  assert.deepEqual(t.writes, ["abc", "def", "g\n"]);
  assert.equal(t.syncs(), 0);
  const failing = groupCommit({
    write: () => Promise.reject(new Error("disk full")),
    syncData: () => Promise.resolve(),
  }, true);
  await assert.rejects(() => failing.push(new Uint8Array([1])), /disk full/);
  await failing.idle();
});
