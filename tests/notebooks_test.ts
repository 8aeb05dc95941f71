import assert from "node:assert/strict";
import { cellSource, Notebook, runNotebook } from "../lib/testing/notebook.ts";

const DIR = new URL("../notebooks/", import.meta.url).pathname;
const notebooks: string[] = [];
for await (const entry of Deno.readDir(DIR)) {
  if (entry.isFile && entry.name.endsWith(".ipynb")) notebooks.push(entry.name);
}
notebooks.sort();

Deno.test("notebooks/ holds the quickstart notebook", () => {
  assert.ok(notebooks.includes("00_quickstart.ipynb"), `found ${notebooks.join(", ")}`);
});

for (const name of notebooks) {
  Deno.test(`${name} is committed clean: Deno kernel, H1 title, parameters first, no outputs`, async () => {
    const nb = Notebook.parse(JSON.parse(await Deno.readTextFile(DIR + name)));
    assert.equal(nb.metadata.kernelspec.name, "deno");
    assert.equal(nb.cells[0].cell_type, "markdown");
    assert.match(cellSource(nb.cells[0]), /^# .+\n+\S/, "an H1 title and a one-line subtitle");
    const firstCode = nb.cells.find((c) => c.cell_type === "code")!;
    assert.match(
      cellSource(firstCode),
      /^\/\/ Parameters/,
      "the first code cell holds the parameters",
    );
    for (const [i, cell] of nb.cells.entries()) {
      if (cell.cell_type !== "code") continue;
      assert.deepEqual(cell.outputs, [], `cell ${i} has outputs`);
      assert.equal(cell.execution_count, null, `cell ${i} has an execution count`);
      assert.doesNotMatch(
        cellSource(cell),
        /writeTextFile|writeFile\(/,
        `cell ${i} writes files itself`,
      );
    }
  });

  Deno.test(`${name} runs top to bottom without a cell error`, async () => {
    // Artifacts go to a fresh folder; a live API is never called from tests.
    const runs = await Deno.makeTempDir({ prefix: "evalkit-nb-runs-" });
    const source = await Deno.readTextFile(DIR + name);
    const run = await runNotebook(DIR + name, {
      parameters: /^\s*"const out\b/m.test(source) ? { out: runs } : {},
      env: { OPENAI_API_KEY: "", OPENAI_BASE_URL: "" },
    });
    await Deno.remove(runs, { recursive: true });
    assert.ok(run.ok, `cell ${run.failedCell} failed:\n${run.stderr}`);
    assert.ok(run.displayed.length > 0, "the notebook displays something");
  });
}

Deno.test("runNotebook() fails on a cell error and names the cell", async () => {
  const dir = await Deno.makeTempDir({ dir: DIR.slice(0, -1) + "/..", prefix: ".nbtest-" });
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "deno", display_name: "Deno", language: "typescript" } },
    cells: [
      { cell_type: "markdown", source: "# t\nx", metadata: {} },
      {
        cell_type: "code",
        source: "const a = 1;",
        metadata: {},
        outputs: [],
        execution_count: null,
      },
      {
        cell_type: "code",
        source: 'if (a === 1) throw new Error("boom in cell two");',
        metadata: {},
        outputs: [],
        execution_count: null,
      },
      { cell_type: "code", source: "a;", metadata: {}, outputs: [], execution_count: null },
    ],
  };
  await Deno.writeTextFile(`${dir}/bad.ipynb`, JSON.stringify(nb));
  try {
    const run = await runNotebook(`${dir}/bad.ipynb`);
    assert.equal(run.ok, false);
    assert.equal(run.failedCell, 2);
    assert.match(run.stderr, /boom in cell two/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("withParameters() replaces a parameter's value and keeps its type and comment", async () => {
  const { withParameters } = await import("../lib/testing/notebook.ts");
  const cell = 'const n = 200; // items\nconst out: string = "../runs"; // where\nconst x = 1;';
  assert.equal(
    withParameters(cell, { out: "/tmp/r", n: 5 }),
    'const n = 5;\nconst out: string = "/tmp/r";\nconst x = 1;',
  );
  assert.throws(() => withParameters(cell, { missing: 1 }), RangeError);
});
