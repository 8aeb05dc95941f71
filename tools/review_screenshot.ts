/**
 * The README's screenshot of the rating page, `docs/review-page.png`: the demo's
 * release r10 judged by the offline heuristic judge, served to rater "ana" (in a
 * temporary folder), eleven items rated through the page's own API, and two
 * dimensions of the twelfth scored with the keyboard, in headless Chromium.
 *
 * `deno run -A tools/review_screenshot.ts [OUT.png]` (default docs/review-page.png).
 *
 * @module
 */
import { chromium } from "playwright-core";
import { demoPaths } from "../lib/demo_world.ts";
import { runJudge } from "../lib/judge/run.ts";
import { serveReview } from "../lib/review/serve.ts";
import { DIMENSIONS } from "../lib/schemas.ts";

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

if (import.meta.main) {
  const target = Deno.args[0] ?? "docs/review-page.png";
  const root = await Deno.makeTempDir({ prefix: "evalkit-screenshot-" });
  try {
    const paths = demoPaths();
    const run = await runJudge(paths.evalItems, {
      judge: "heuristic",
      responses: paths.responses("r10"),
      out: root,
    });
    const server = await serveReview(run.artifact, { rater: "ana", n: 50, out: root });
    try {
      for (const [k, item] of server.session.items.slice(0, 11).entries()) {
        const scores = Object.fromEntries(DIMENSIONS.map((d, i) => [d, 1 + ((k + i * 2) % 5)]));
        const r = await server.session.submit({ item_id: String(item.item.id), ...scores });
        if (!r.ok) throw new Error(r.error);
      }
      const browser = await chromium.launch({
        executablePath: "/usr/bin/chromium",
        args: CHROMIUM_ARGS,
      });
      try {
        const page = await browser.newPage({
          viewport: { width: 1200, height: 980 },
          deviceScaleFactor: 1,
        });
        await page.goto(server.url);
        await page.locator("article.item:not([hidden])").waitFor();
        await page.keyboard.press("4");
        await page.keyboard.press("5");
        await Deno.mkdir(target.replace(/\/[^/]*$/, "") || ".", { recursive: true });
        await page.screenshot({ path: target });
      } finally {
        await browser.close();
      }
    } finally {
      await server.shutdown();
    }
    console.error(`wrote ${target}`);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}
