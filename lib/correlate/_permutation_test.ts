import assert from "node:assert/strict";
import { seededRandom } from "../stats/_random.ts";
import { eachOrdering, orderingCounter, randomOrderings } from "./_permutation.ts";

/** Walk orderings of [0..n) with the given walker; every ordering seen, as strings. */
function seen(n: number, walk: (swap: (i: number, j: number) => void, visit: () => void) => void) {
  const v = Array.from({ length: n }, (_, i) => i);
  const out: string[] = [];
  walk((i, j) => ([v[i], v[j]] = [v[j], v[i]]), () => out.push(v.join()));
  return out;
}

Deno.test("eachOrdering() visits each of the n! orderings exactly once, the identity first", () => {
  for (const [n, factorial] of [[1, 1], [2, 2], [3, 6], [5, 120], [6, 720]]) {
    const orderings = seen(n, (swap, visit) => eachOrdering(n, swap, visit));
    assert.equal(orderings.length, factorial, `n = ${n}`);
    assert.equal(new Set(orderings).size, factorial, `n = ${n}: no ordering twice`);
    assert.equal(orderings[0], Array.from({ length: n }, (_, i) => i).join());
  }
});

Deno.test("randomOrderings() visits `count` shuffles, each a permutation, the same for the same seed", () => {
  const walk = (seed: number) =>
    seen(6, (swap, visit) => randomOrderings(6, 200, seededRandom(seed), swap, visit));
  const a = walk(1);
  assert.equal(a.length, 200);
  for (const o of a) assert.equal([...o.split(",")].sort().join(), "0,1,2,3,4,5");
  assert.deepEqual(walk(1), a);
  assert.notDeepEqual(walk(2), a);
  assert.ok(new Set(a).size > 100, "shuffles spread over the 720 orderings");
});

Deno.test("orderingCounter() counts the orderings at least as extreme as the observed one, ties included", () => {
  // x = y = 1..4: only the identity and the reverse reach |r| = 1 among the 24 orderings.
  const c = orderingCounter([1, 2, 3, 4], [1, 2, 3, 4]);
  eachOrdering(4, c.swap, c.visit);
  assert.deepEqual(c.counts(), { total: 24, pearson: 2, spearman: 2 });
  // y uncorrelated with x (r = 0): every ordering is at least as extreme.
  const flat = orderingCounter([1, 2, 3, 4], [2, 1, 1, 2]);
  eachOrdering(4, flat.swap, flat.visit);
  assert.deepEqual(flat.counts(), { total: 24, pearson: 24, spearman: 24 });
});
