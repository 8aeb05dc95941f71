/**
 * `evalkit review serve`: the rating page, end to end in real headless Chromium
 * (Debian's chromium driven by playwright-core), plus its HTTP security checks
 * over real sockets, its session rules (resume, lock, torn tail, blindness) and
 * the command as a process.
 *
 * The screenshot of the rating page goes to `.ci/out/review-page.png` when
 * `.ci/out` exists (CI keeps it as an artifact), else to a temporary folder.
 */
import assert from "node:assert/strict";
import { type Browser, chromium, type Page } from "playwright-core";
import { parse as parseCsv } from "csv-parse/sync";
import { main } from "../lib/cli.ts";
import { demoPaths } from "../lib/demo_world.ts";
import { runJudge } from "../lib/judge/run.ts";
import { loadPrompt } from "../lib/judge/prompt.ts";
import { agreementFor } from "../lib/agreement/run.ts";
import { exportReview, importRatings, readRatings } from "../lib/review/mod.ts";
import { renderMarkdown, reviewPageHtml, rubricAnchors } from "../lib/review/page.ts";
import {
  hostAllowed,
  openReviewSession,
  type ReviewServer,
  serveReview,
} from "../lib/review/serve.ts";
import { DIMENSIONS } from "../lib/schemas.ts";

const paths = demoPaths();
const CLI = new URL("../lib/cli.ts", import.meta.url).pathname;
const ROOT = await Deno.makeTempDir({ prefix: "evalkit-review-serve-" });
globalThis.addEventListener("unload", () => Deno.removeSync(ROOT, { recursive: true }));

/** The demo's release r10 judged by the offline heuristic judge. */
const DEMO_RUN = (await runJudge(paths.evalItems, {
  judge: "heuristic",
  responses: paths.responses("r10"),
  out: `${ROOT}/runs`,
})).artifact;

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

async function withPage<T>(fn: (page: Page, watch: Watch) => Promise<T>): Promise<T> {
  const browser: Browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 980 } });
    return await fn(page, watchPage(page));
  } finally {
    await browser.close();
  }
}

interface Watch {
  console: string[];
  errors: string[];
  dialogs: string[];
}

function watchPage(page: Page): Watch {
  const w: Watch = { console: [], errors: [], dialogs: [] };
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") w.console.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => w.errors.push(e.message));
  page.on("dialog", (d) => {
    w.dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  return w;
}

const visibleItem = (page: Page) => page.locator("article.item:not([hidden])");

async function visibleId(page: Page): Promise<string> {
  await visibleItem(page).waitFor();
  return (await visibleItem(page).getAttribute("data-id"))!;
}

async function statusText(page: Page, prefix: string): Promise<string> {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  await page.locator("#status").filter({ hasText: new RegExp(`^${escaped}`) }).waitFor();

  return (await page.locator("#status").textContent()) ?? "";
}

/** The checked score of each dimension on the page. */
async function checked(page: Page): Promise<Record<string, number | null>> {
  const out: Record<string, number | null> = {};
  for (const d of DIMENSIONS) {
    const v = await page.locator(`.dim[data-dim="${d}"] button[aria-checked="true"]`)
      .getAttribute("data-value", { timeout: 1000 }).catch(() => null);
    out[d] = v === null ? null : Number(v);
  }
  return out;
}

async function fileLines(path: string): Promise<Record<string, unknown>[]> {
  const text = await Deno.readTextFile(path).catch(() => "");
  return text.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
}

async function screenshotPath(): Promise<string> {
  try {
    if ((await Deno.stat(".ci/out")).isDirectory) return ".ci/out/review-page.png";
  } catch {
    // not in CI
  }
  return `${ROOT}/review-page.png`;
}

const enc = new TextEncoder();

/** One HTTP/1.1 request over a raw socket, so Host and Origin are exactly what we say. */
async function rawHttp(
  port: number,
  head: string[],
  body = "",
): Promise<{ status: number; text: string }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const bytes = enc.encode(
      [...head, "Connection: close", `Content-Length: ${enc.encode(body).length}`, "", body]
        .join("\r\n"),
    );
    let rest = bytes;
    while (rest.length > 0) rest = rest.subarray(await conn.write(rest));
    const chunks: Uint8Array[] = [];
    const buf = new Uint8Array(65536);
    for (;;) {
      const n = await conn.read(buf);
      if (n === null) break;
      chunks.push(buf.slice(0, n));
    }
    const text = new TextDecoder().decode(
      chunks.reduce((a, c) => {
        const x = new Uint8Array(a.length + c.length);
        x.set(a);
        x.set(c, a.length);
        return x;
      }, new Uint8Array()),
    );
    return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text };
  } finally {
    try {
      conn.close();
    } catch {
      // closed by the server
    }
  }
}

function post(server: ReviewServer, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.address}api/ratings`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-evalkit-token": server.token,
      ...headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

const scores = (c: number, r: number, cl: number, ca: number, l: number) => ({
  correctness: c,
  relevance: r,
  clarity: cl,
  calibration: ca,
  length: l,
});

// ---------------------------------------------------------------------------
// Pure parts

Deno.test("rubricAnchors() reads every dimension's 1, 3 and 5 anchors from the bundled judge rubric", async () => {
  const rubric = rubricAnchors(await loadPrompt());
  assert.deepEqual(rubric.map((d) => d.dimension), [...DIMENSIONS]);
  const correctness = rubric[0];
  assert.equal(correctness.question, "are the facts and instructions in the answer right?");
  assert.match(correctness.anchors[1], /^The main claim is wrong/);
  assert.match(correctness.anchors[3], /^The core of the answer is right/);
  assert.match(correctness.anchors[5], /^Everything the answer states is accurate/);
  assert.match(correctness.anchors[4], /^Between 3 and 5\. 3: The core .* 5: Everything/);
  const err = (() => {
    try {
      rubricAnchors({ system: "correctness: right?\n- 5: yes\n- 1: no", path: "p.md" });
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  assert.ok(err instanceof TypeError);
  assert.match(
    err.message,
    /^Cannot read "p\.md": the system section has no "correctness: question" line followed by "- 5:", "- 3:" and "- 1:" anchors \(and 4 more problems\)$/,
  );
});

Deno.test("renderMarkdown() escapes first: tags and event attributes in a response stay text; headings, lists, bold and code render", () => {
  const html = renderMarkdown(
    "# Fix <b>it</b>\n\n**Do this** now:\n- step `a<b>`\n- step <img src=x onerror=alert(1)>\n\n" +
      "3. third\n4. fourth\n\n```\n<script>alert(2)</script>\n```\nline one\nline two",
  );
  assert.equal(
    html,
    [
      "<h3>Fix &lt;b&gt;it&lt;/b&gt;</h3>",
      "<p><strong>Do this</strong> now:</p>",
      "<ul><li>step <code>a&lt;b&gt;</code></li><li>step &lt;img src=x onerror=alert(1)&gt;</li></ul>",
      '<ol start="3"><li>third</li><li>fourth</li></ol>',
      "<pre><code>&lt;script&gt;alert(2)&lt;/script&gt;</code></pre>",
      "<p>line one<br>line two</p>",
    ].join("\n"),
  );
  assert.equal(
    renderMarkdown("\"quoted\" & 'single'"),
    "<p>&quot;quoted&quot; &amp; &#39;single&#39;</p>",
  );
});

Deno.test("reviewPageHtml() is blind: no judge score, rationale, band or model, and one nonce'd script", async () => {
  const session = await openReviewSession(DEMO_RUN, {
    rater: "ana",
    n: 6,
    ratings: `${ROOT}/blind/ratings_ana.jsonl`,
  });
  try {
    const judgments = (await Deno.readTextFile(`${DEMO_RUN}/judgments.jsonl`)).trimEnd().split("\n")
      .map((l) => JSON.parse(l));
    const html = reviewPageHtml({
      rater: "ana",
      items: session.items.map((i) => ({
        id: String(i.item.id),
        item: i.item,
        response: i.response ?? "",
        rating: null,
      })),
      rubric: session.rubric,
      nonce: "N0NCE",
      token: "T0KEN",
    });
    for (const i of session.items) {
      const j = judgments.find((x) => x.item_id === i.item.id);
      assert.ok(!html.includes(j.rationale), "no rationale");
    }
    for (const word of ["heuristic", "rationale", "prompt_sha256", "judge_model", "data-band"]) {
      assert.ok(!html.includes(word), `the page does not mention "${word}"`);
    }
    assert.equal((html.match(/<script\b/g) ?? []).length, 1);
    assert.match(html, /<script nonce="N0NCE">/);
    assert.doesNotMatch(html, /\bon[a-z]+=/i, "no inline event handler attributes");
    assert.doesNotMatch(html, /\b(src|href)=["']?(https?:|\/\/)/, "no external resource");
  } finally {
    await session.close();
  }
});

Deno.test("hostAllowed() accepts the served address (and loopback names on loopback) and refuses a rebinding domain", () => {
  const loop = { hostname: "127.0.0.1", port: 8123 };
  assert.ok(hostAllowed("127.0.0.1:8123", loop));
  assert.ok(hostAllowed("localhost:8123", loop));
  assert.ok(hostAllowed("[::1]:8123", loop));
  assert.ok(!hostAllowed("attacker.example:8123", loop));
  assert.ok(!hostAllowed("127.0.0.1.nip.io:8123", loop));
  assert.ok(!hostAllowed("127.0.0.1:8124", loop));
  assert.ok(!hostAllowed("127.0.0.1", loop), "no port means port 80");
  assert.ok(!hostAllowed(null, loop));
  assert.ok(!hostAllowed("127.0.0.1:8123@evil", loop));
  const lan = { hostname: "192.168.1.5", port: 80 };
  assert.ok(hostAllowed("192.168.1.5", lan));
  assert.ok(!hostAllowed("localhost", lan), "localhost is not the address of a LAN binding");
  const any = { hostname: "0.0.0.0", port: 9000 };
  assert.ok(hostAllowed("10.0.0.7:9000", any), "any IP literal on a wildcard binding");
  assert.ok(!hostAllowed("rebind.example:9000", any));
});

// ---------------------------------------------------------------------------
// Session rules

Deno.test("review serve shows review export's items: the same selection, in the rater's sheet order", async () => {
  const exported = await exportReview(DEMO_RUN, {
    n: 12,
    raters: ["ana", "ben"],
    seed: 3,
    out: `${ROOT}/export`,
  });
  for (const rater of ["ana", "ben"]) {
    const sheet = parseCsv(await Deno.readTextFile(exported.sheets[rater]), { columns: true }) as {
      item_id: string;
    }[];
    const session = await openReviewSession(DEMO_RUN, {
      rater,
      n: 12,
      seed: 3,
      ratings: `${ROOT}/same/ratings_${rater}.jsonl`,
    });
    try {
      assert.deepEqual(
        session.items.map((i) => String(i.item.id)),
        sheet.map((r) => r.item_id),
        `${rater}'s page and sheet`,
      );
    } finally {
      await session.close();
    }
  }
});

Deno.test("a ratings file is locked: a second server on it is refused until the first closes", async () => {
  const ratings = `${ROOT}/lock/ratings_ana.jsonl`;
  const first = await openReviewSession(DEMO_RUN, { rater: "ana", n: 3, ratings });
  await assert.rejects(
    () => openReviewSession(DEMO_RUN, { rater: "ana", n: 3, ratings }),
    (e: Error) => {
      assert.ok(e instanceof RangeError);
      assert.equal(
        e.message,
        `"${ratings}" is open in another review serve: one server per ratings file (stop the other first)`,
      );
      return true;
    },
  );
  await first.close();
  const second = await openReviewSession(DEMO_RUN, { rater: "ana", n: 3, ratings });
  await second.close();
  await assert.rejects(() => Deno.stat(ratings), Deno.errors.NotFound, "no rating: no file left");
});

Deno.test("a torn last record is refused with its line; a last record missing only its newline is completed", async () => {
  const dir = `${ROOT}/torn`;
  await Deno.mkdir(dir, { recursive: true });
  const session = await openReviewSession(DEMO_RUN, {
    rater: "ana",
    n: 3,
    ratings: `${dir}/x.jsonl`,
  });
  const id = String(session.items[0].item.id);
  await session.close();
  const good = JSON.stringify({ item_id: id, rater: "ana", ...scores(4, 4, 4, 4, 4), notes: null });
  const torn = `${dir}/ratings_ana.jsonl`;
  await Deno.writeTextFile(torn, `${good}\n{"item_id":"${id}","rater":"an`);
  await assert.rejects(
    () => openReviewSession(DEMO_RUN, { rater: "ana", n: 3, ratings: torn }),
    (e: Error) => {
      assert.ok(e instanceof SyntaxError);
      assert.equal(
        e.message,
        `Cannot read "${torn}": line 2: an incomplete last record (the server stopped while writing it, ` +
          "before the page was told it was saved): delete that line, then start again",
      );
      return true;
    },
  );
  await Deno.writeTextFile(torn, good);
  const resumed = await openReviewSession(DEMO_RUN, { rater: "ana", n: 3, ratings: torn });
  try {
    assert.equal(await Deno.readTextFile(torn), `${good}\n`);
    assert.equal(resumed.rated(), 1);
  } finally {
    await resumed.close();
  }
});

Deno.test("a page is blind to other raters: a ratings file holding another rater's ratings, or named for one, is refused", async () => {
  const dir = `${ROOT}/others`;
  await Deno.mkdir(dir, { recursive: true });
  const shared = `${dir}/shared.jsonl`;
  await Deno.writeTextFile(
    shared,
    JSON.stringify({ item_id: "item-0001", rater: "ben", ...scores(1, 1, 1, 1, 1) }) + "\n",
  );
  await assert.rejects(
    () => openReviewSession(DEMO_RUN, { rater: "ana", ratings: shared }),
    (e: Error) => {
      assert.ok(e instanceof TypeError);
      assert.equal(
        e.message,
        `Cannot read "${shared}": line 1: field "rater": expected one of "ana", received "ben"`,
      );
      return true;
    },
  );
  await assert.rejects(
    () => openReviewSession(DEMO_RUN, { rater: "ana", ratings: `${dir}/ratings_ben.jsonl` }),
    (e: Error) =>
      e instanceof RangeError &&
      e.message ===
        `The ratings file "${dir}/ratings_ben.jsonl" is named for rater "ben", not "ana"`,
  );
  await assert.rejects(
    () => openReviewSession(DEMO_RUN, { rater: "ana", ratings: `${dir}/ana.csv` }),
    (e: Error) =>
      e instanceof RangeError &&
      e.message ===
        `Invalid --ratings "${dir}/ana.csv": the page appends JSON lines, so the file must end in .jsonl`,
  );
  await assert.rejects(
    () => openReviewSession(DEMO_RUN, { rater: "ana bob" }),
    (e: Error) =>
      e instanceof RangeError &&
      e.message ===
        'Invalid rater name "ana bob": use letters, digits, "_", "-" or "." (it names the ratings file)',
  );
});

// ---------------------------------------------------------------------------
// HTTP security over real sockets

Deno.test("review serve refuses requests without the token, with a foreign Host or Origin, and bad ratings (400, nothing written)", async () => {
  const out = `${ROOT}/security`;
  const server = await serveReview(DEMO_RUN, { rater: "ana", n: 4, out });
  const port = Number(new URL(server.address).port);
  const file = server.session.ratingsFile;
  const id = String(server.session.items[0].item.id);
  const good = { item_id: id, ...scores(4, 5, 3, 4, 2), notes: null };
  try {
    assert.equal(new URL(server.address).hostname, "127.0.0.1");
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);

    // The token.
    const none = await fetch(server.address);
    assert.equal(none.status, 403);
    assert.match(await none.text(), /^Forbidden: missing or wrong \?token=/);
    const wrong = await fetch(`${server.address}?token=${server.token.slice(0, -1)}x`);
    assert.equal(wrong.status, 403);
    await wrong.body?.cancel();
    const page = await fetch(server.url);
    assert.equal(page.status, 200);
    const csp = page.headers.get("content-security-policy") ?? "";
    assert.match(csp, /^default-src 'none'; script-src 'nonce-[A-Za-z0-9_-]+'; style-src 'nonce-/);
    assert.match(csp, /connect-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(page.headers.get("x-content-type-options"), "nosniff");
    assert.equal(page.headers.get("referrer-policy"), "no-referrer");
    await page.body?.cancel();
    const apiQueryToken = await fetch(`${server.address}api/ratings?token=${server.token}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(good),
    });
    assert.equal(apiQueryToken.status, 403, "the API wants the header, not the query");
    assert.match(await apiQueryToken.text(), /missing or wrong X-Evalkit-Token header/);
    const unknownPath = await fetch(`${server.address}../etc/passwd`);
    assert.equal(unknownPath.status, 403, "no token: refused before any route");
    await unknownPath.body?.cancel();

    // DNS rebinding: the Host and Origin headers.
    const path = `/?token=${server.token}`;
    const rebound = await rawHttp(port, [`GET ${path} HTTP/1.1`, `Host: attacker.example:${port}`]);
    assert.equal(rebound.status, 403);
    assert.match(rebound.text, /Forbidden: Host "attacker\.example:\d+" is not the address/);
    const local = await rawHttp(port, [`GET ${path} HTTP/1.1`, `Host: localhost:${port}`]);
    assert.equal(local.status, 200);
    const foreignOrigin = await rawHttp(port, [
      "POST /api/ratings HTTP/1.1",
      `Host: 127.0.0.1:${port}`,
      "Origin: http://attacker.example",
      "Content-Type: application/json",
      `X-Evalkit-Token: ${server.token}`,
    ], JSON.stringify(good));
    assert.equal(foreignOrigin.status, 403);
    assert.match(
      foreignOrigin.text,
      /Forbidden: Origin "http:\/\/attacker\.example" is another site/,
    );

    // Bad ratings: 400 with the problem, nothing written.
    const cases: [unknown, string][] = [
      [{ ...good, correctness: 6 }, 'field "correctness": expected <= 5, received 6'],
      [{ ...good, relevance: 0 }, 'field "relevance": expected >= 1, received 0'],
      [{ ...good, clarity: 2.5 }, 'field "clarity": expected int, received number'],
      [{ ...good, length: undefined }, 'field "length": missing'],
      [
        { ...good, item_id: "item-9999" },
        'field "item_id": unknown item "item-9999": not among the items on this page',
      ],
      [
        { ...good, rater: "ben" },
        'field "rater": expected "ana" (the rater of this page), received "ben"',
      ],
      [{ ...good, judge_score: 5 }, 'field "judge_score": unknown field'],
      ["{not json", "body: expected a JSON object"],
    ];
    for (const [body, error] of cases) {
      const r = await post(server, body);
      assert.equal(r.status, 400, error);
      assert.deepEqual(await r.json(), { error });
    }
    const plain = await post(server, good, { "content-type": "text/plain" });
    assert.equal(plain.status, 415);
    await plain.body?.cancel();
    assert.deepEqual(await fileLines(file), [], "nothing written");

    const ok = await post(server, good);
    assert.equal(ok.status, 200);
    const ack = await ok.json();
    assert.deepEqual(ack, {
      saved: true,
      item_id: id,
      updated: false,
      rating: { ...scores(4, 5, 3, 4, 2), notes: null },
      rated: 1,
      total: 4,
    });
    assert.equal((await fileLines(file)).length, 1);
  } finally {
    const summary = await server.shutdown();
    assert.deepEqual(summary.refused, { host: 1, origin: 1, token: 4, invalid: 9 });
    assert.equal(summary.saved, 1);
  }
});

// ---------------------------------------------------------------------------
// The page in real headless Chromium

Deno.test({
  name:
    "rating page in Chromium: five items rated with the keyboard only, reload resumes, an edit appends a record that wins, agreement reads the file",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const out = `${ROOT}/browser`;
    let server = await serveReview(DEMO_RUN, { rater: "ana", n: 8, seed: 5, out });
    const file = server.session.ratingsFile;
    const order = server.session.items.map((i) => String(i.item.id));
    assert.equal(file, `${out}/review-page/${DEMO_RUN.split("/").pop()}/ratings_ana.jsonl`);
    try {
      await withPage(async (page, watch) => {
        await page.goto(server.url);
        assert.equal(await visibleId(page), order[0]);
        assert.equal(await page.locator("#progress-text").textContent(), "0 of 8 rated");
        assert.equal(
          await page.locator('.dim[data-dim="clarity"] button[data-value="1"]').getAttribute(
            "title",
          ),
          "1: Hard to follow: one run-on block, confused or contradictory order, or unreadable formatting.",
          "the rubric's anchor on hover",
        );

        // Item 1: five digits, then Enter.
        for (const k of ["4", "5", "3", "4", "2"]) await page.keyboard.press(k);
        await page.keyboard.press("Enter");
        assert.match(
          await statusText(page, "Saved"),
          new RegExp(`^Saved ${order[0]} · 1 of 8 rated$`),
        );
        assert.equal(await visibleId(page), order[1]);

        // Item 2: all 2s, then ↑ four times to correctness and → once (2 → 3).
        for (const k of ["2", "2", "2", "2", "2"]) await page.keyboard.press(k);
        for (let i = 0; i < 4; i++) await page.keyboard.press("ArrowUp");
        await page.keyboard.press("ArrowRight");
        await page.keyboard.press("Enter");
        await statusText(page, `Saved ${order[1]}`);

        // Item 3: Enter with nothing scored is refused in the page; then Tab into notes.
        assert.equal(await visibleId(page), order[2]);
        await page.keyboard.press("Enter");
        assert.equal(
          await statusText(page, "Not saved"),
          "Not saved: score correctness, relevance, clarity, calibration, length first",
        );
        for (const k of ["5", "5", "4", "5", "5"]) await page.keyboard.press(k);
        await page.keyboard.press("Tab");
        await page.keyboard.type("good, a bit long");
        await page.keyboard.press("Enter");
        await statusText(page, `Saved ${order[2]}`);

        // Items 4 and 5: Shift+Tab moves back a dimension too.
        for (const k of ["1", "1", "1", "1", "1"]) await page.keyboard.press(k);
        await page.keyboard.press("Enter");
        await statusText(page, `Saved ${order[3]}`);
        await page.keyboard.press("3");
        await page.keyboard.press("Shift+Tab");
        await page.keyboard.press("4");
        for (const k of ["4", "4", "4", "4"]) await page.keyboard.press(k);
        await page.keyboard.press("Enter");
        await statusText(page, `Saved ${order[4]}`);

        const lines = await fileLines(file);
        assert.deepEqual(
          lines.map(({ rated_at: _, ...r }) => r),
          [
            { item_id: order[0], rater: "ana", ...scores(4, 5, 3, 4, 2), notes: null },
            { item_id: order[1], rater: "ana", ...scores(3, 2, 2, 2, 2), notes: null },
            {
              item_id: order[2],
              rater: "ana",
              ...scores(5, 5, 4, 5, 5),
              notes: "good, a bit long",
            },
            { item_id: order[3], rater: "ana", ...scores(1, 1, 1, 1, 1), notes: null },
            { item_id: order[4], rater: "ana", ...scores(4, 4, 4, 4, 4), notes: null },
          ],
        );
        for (const l of lines) assert.match(String(l.rated_at), /^\d{4}-\d{2}-\d{2}T/);
        assert.deepEqual(watch.console, [], "no console error (a CSP violation would be one)");
        assert.deepEqual(watch.errors, []);

        // Reload: resumes at the first unrated item.
        await page.reload();
        assert.equal(await visibleId(page), order[5]);
        assert.equal(await page.locator("#progress-text").textContent(), "5 of 8 rated");
        assert.equal(await page.locator("#progress").getAttribute("value"), "5");
        const shot = await screenshotPath();
        await page.screenshot({ path: shot });
        const png = await Deno.readFile(shot);
        assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], `a PNG at ${shot}`);

        // Edit item 2: back with [ four times; the page shows the saved rating; 5 for correctness.
        for (let i = 0; i < 4; i++) await page.keyboard.press("[");
        assert.equal(await visibleId(page), order[1]);
        assert.deepEqual(await checked(page), scores(3, 2, 2, 2, 2));
        await page.keyboard.press("5");
        await page.keyboard.press("Enter");
        assert.equal(await statusText(page, "Updated"), `Updated ${order[1]} · 5 of 8 rated`);
        assert.equal(await visibleId(page), order[5], "back to the first unrated item");
        assert.deepEqual(watch.console, []);

        const lines6 = await fileLines(file);
        assert.equal(lines6.length, 6, "the edit is appended, nothing rewritten");
        assert.equal(lines6[5].item_id, order[1]);
        const read = await readRatings([file]);
        assert.equal(read.ratings.length, 5);
        assert.equal(read.superseded, 1);
        assert.deepEqual(
          read.ratings.find((r) => r.item_id === order[1]),
          { item_id: order[1], rater: "ana", ...scores(5, 2, 2, 2, 2), notes: null },
          "the newer record wins",
        );

        // Restart the server on the same port: it resumes from the file with a new token;
        // the open page's saves are refused (403) and say so, and nothing is written.
        const port = Number(new URL(server.address).port);
        const oldToken = server.token;
        await server.shutdown();
        server = await serveReview(DEMO_RUN, { rater: "ana", n: 8, seed: 5, out, port });
        assert.notEqual(server.token, oldToken);
        assert.equal(server.session.rated(), 5);
        for (const k of ["2", "2", "2", "2", "2"]) await page.keyboard.press(k);
        await page.keyboard.press("Enter");
        assert.equal(
          await statusText(page, "Not saved"),
          "Not saved: this page's session has ended (was the server restarted?). Open the address it printed.",
        );
        assert.equal((await fileLines(file)).length, 6);
        await page.reload();
        assert.match(await page.content(), /Forbidden: missing or wrong \?token=/);
        await page.goto(server.url);
        assert.equal(await visibleId(page), order[5]);
        assert.equal(await page.locator("#progress-text").textContent(), "5 of 8 rated");
      });

      // agreement and review import read the page's file as it is.
      const agreement = await agreementFor(DEMO_RUN, [file], { out, resamples: 200 });
      assert.equal(agreement.report.items.compared, 5);
      assert.deepEqual(agreement.report.raters, ["ana"]);
      const imported = await importRatings([file], { run: DEMO_RUN, out });
      assert.equal(imported.ratings.length, 5);
      assert.equal(imported.summary.superseded, 1);
    } finally {
      await server.shutdown();
    }
  },
});

Deno.test({
  name:
    "rating page in Chromium: a <script> or onerror payload in a query, reference, response, item id or note shows as text and never runs",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = `${ROOT}/xss`;
    await Deno.mkdir(dir, { recursive: true });
    const weirdId = `q"><img src=x onerror="window.__xss='id';alert('id')">`;
    const responsePayload = "**Bold** <script>window.__xss='script';alert('script')</script>\n\n" +
      `<img src=x onerror="window.__xss='img';alert('img')">\n\n` +
      "# <iframe src=\"javascript:alert('frame')\"></iframe>\n\n- `<svg onload=alert('svg')>`";
    const items = [
      {
        id: "xss-1",
        messages: [
          { role: "user", content: `<img src=x onerror="window.__xss='query';alert('query')">` },
          { role: "assistant", content: "<script>window.__xss='turn'</script> **earlier**" },
          { role: "user", content: "and now?" },
        ],
        stratum: "billing",
        source_id: "log-1",
        reference: ["<script>window.__xss='reference'</script>"],
      },
      { id: weirdId, query: "plain question", stratum: "billing", source_id: "log-2" },
    ];
    await Deno.writeTextFile(
      `${dir}/evalset.jsonl`,
      items.map((i) => JSON.stringify(i)).join("\n") + "\n",
    );
    const responses = [
      { item_id: "xss-1", response: responsePayload },
      { item_id: weirdId, response: "A <b>plain</b> answer" },
    ].map((r) =>
      JSON.stringify({
        ...r,
        model: "m",
        latency_ms: 1,
        usage: { prompt_tokens: 1, completion_tokens: 1 },
      })
    );
    await Deno.writeTextFile(`${dir}/responses.jsonl`, responses.join("\n") + "\n");
    const run = (await runJudge(`${dir}/evalset.jsonl`, {
      judge: "heuristic",
      responses: `${dir}/responses.jsonl`,
      out: `${dir}/runs`,
    })).artifact;
    const server = await serveReview(run, { rater: "ana", n: 2, out: `${dir}/runs` });
    const note =
      `<img src=x onerror="window.__xss='note';alert('note')"></textarea><script>window.__xss='note2'</script>`;
    try {
      await withPage(async (page, watch) => {
        await page.goto(server.url);
        await visibleItem(page).waitFor();
        const xssItem = page.locator('article.item[data-id="xss-1"]');
        const weird = page.locator("article.item").filter({ hasNotText: "and now?" });
        assert.equal(await weird.getAttribute("data-id"), weirdId, "the id round-trips as text");
        assert.equal(
          (await xssItem.locator(".response .md").textContent())?.replace(/\s+/g, " ").trim(),
          "Bold <script>window.__xss='script';alert('script')</script> " +
            `<img src=x onerror="window.__xss='img';alert('img')"> ` +
            `<iframe src="javascript:alert('frame')"></iframe> <svg onload=alert('svg')>`,
        );
        assert.equal(await xssItem.locator(".response strong").textContent(), "Bold");
        assert.equal(await xssItem.locator(".response h3").count(), 1);
        assert.match(
          (await xssItem.locator(".conversation").textContent()) ?? "",
          /<img src=x onerror="window.__xss='query';alert\('query'\)">/,
        );
        assert.match(
          (await xssItem.locator(".reference").textContent()) ?? "",
          /<script>window.__xss='reference'<\/script>/,
        );
        assert.equal(
          await page.locator("article img, article script, article iframe, article svg").count(),
          0,
        );

        // Rate both items; the first carries a hostile note.
        for (let k = 0; k < 2; k++) {
          const id = await visibleId(page);
          for (const key of ["3", "3", "3", "3", "3"]) await page.keyboard.press(key);
          if (id === "xss-1") {
            await page.keyboard.press("Tab");
            await page.keyboard.insertText(note);
          }
          await page.keyboard.press("Enter");
          await statusText(page, `Saved ${id}`);
        }
        assert.equal(await page.locator("#done").isVisible(), true, "all rated");
        await page.reload();
        await visibleItem(page).waitFor();
        for (let i = 0; i < 2 && (await visibleId(page)) !== "xss-1"; i++) {
          await page.keyboard.press("]");
        }
        assert.equal(await page.locator("#notes").inputValue(), note);
        assert.equal(
          await page.evaluate(() => (globalThis as { __xss?: string }).__xss),
          undefined,
        );
        assert.deepEqual(watch.dialogs, [], "no alert opened");
        assert.deepEqual(watch.errors, []);
        assert.deepEqual(watch.console, []);
      });
      const read = await readRatings([server.session.ratingsFile]);
      assert.deepEqual(read.ratings.map((r) => [r.item_id, r.notes]).sort(), [
        ["q\"><img src=x onerror=\"window.__xss='id';alert('id')\">", null],
        ["xss-1", note],
      ]);
    } finally {
      await server.shutdown();
    }
  },
});

// ---------------------------------------------------------------------------
// The command

Deno.test("evalkit review serve: usage errors and the held-out regression set exit 2 before serving", async () => {
  const run = async (args: string[]) => {
    let stderr = "";
    const code = await main(["review", "serve", ...args], {
      stdout: () => {},
      stderr: (t) => (stderr += t),
    });
    return { code, stderr };
  };
  const noRater = await run(["--run", DEMO_RUN]);
  assert.equal(noRater.code, 2);
  assert.match(noRater.stderr, /^Missing required flag --rater\nusage: evalkit review serve /);
  const badPort = await run(["--run", DEMO_RUN, "--rater", "ana", "--port", "70000"]);
  assert.equal(badPort.code, 2);
  assert.match(badPort.stderr, /^Invalid --port "70000": expected an integer from 0 to 65535/);
  const badN = await run(["--run", DEMO_RUN, "--rater", "ana", "--n", "0"]);
  assert.equal(badN.code, 2);
  assert.match(badN.stderr, /^Invalid --n "0": expected a positive integer/);
  const cases = await run(["--run", paths.cases, "--rater", "ana"]);
  assert.equal(cases.code, 2);
  assert.match(cases.stderr, /^Refusing ".*regression_cases\.jsonl": it holds regression cases/);
});

Deno.test({
  name:
    "evalkit review serve as a process: prints the URL on stderr, saves a rating, and on SIGINT exits 0 with a --json summary",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const out = `${ROOT}/cli`;
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        CLI,
        "review",
        "serve",
        "--run",
        DEMO_RUN,
        "--rater",
        "ben",
        "--n",
        "3",
        "--out",
        out,
        "--json",
      ],
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).spawn();
    let stderr = "";
    let urlFound!: (url: string) => void;
    const url = new Promise<string>((r) => (urlFound = r));
    const drained = (async () => {
      for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
        stderr += chunk;
        const m = /^open {6}(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/m.exec(stderr);
        if (m) urlFound(m[1]);
      }
      urlFound("");
    })();
    const stdout = new Response(child.stdout).text();
    const pageUrl = await url;
    assert.notEqual(pageUrl, "", stderr);
    const page = await fetch(pageUrl);
    assert.equal(page.status, 200);
    const html = await page.text();
    const id = /<article class="item" data-id="([^"]+)"/.exec(html)![1];
    const address = pageUrl.replace(/\?token=.*$/, "");
    const token = new URL(pageUrl).searchParams.get("token")!;
    const saved = await fetch(`${address}api/ratings`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-evalkit-token": token },
      body: JSON.stringify({ item_id: id, ...scores(2, 3, 4, 5, 1), notes: "cli" }),
    });
    assert.equal(saved.status, 200);
    await saved.body?.cancel();
    child.kill("SIGINT");
    const status = await child.status;
    await drained;
    assert.equal(status.code, 0, stderr);
    const text = await stdout;
    assert.equal(text.trim().split("\n").length, 1, "one JSON object on stdout");
    const summary = JSON.parse(text);
    const file = `${out}/review-page/${DEMO_RUN.split("/").pop()}/ratings_ben.jsonl`;
    assert.deepEqual(
      { ...summary, address: undefined },
      {
        rater: "ben",
        run: DEMO_RUN,
        items: 3,
        rated: 1,
        remaining: 2,
        saved: 1,
        updated: 0,
        ratings_file: file,
        address: undefined,
        refused: { host: 0, origin: 0, token: 0, invalid: 0 },
        next: `agreement --run ${DEMO_RUN} --ratings ${file}`,
      },
    );
    assert.match(stderr, /^review {4}3 items for ben, 0 rated already; ratings go to /m);
    assert.match(stderr, /^stopped {3}1 of 3 rated \(1 saved this session\)$/m);
    assert.equal((await fileLines(file)).length, 1);
  },
});
