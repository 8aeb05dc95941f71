/**
 * Real headless Chromium for tests: Debian's `chromium` driven by
 * playwright-core (no browser download), with the flags that keep it offline
 * and quiet, and a watcher that records what a page did wrong.
 *
 * ```ts ignore
 * import { watchPage, withBrowser } from "../lib/testing/browser.ts";
 * await withBrowser(async (browser) => {
 *   const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
 *   const watch = watchPage(page);
 *   await page.goto("file:///tmp/report.html");
 *   if (watch.problems().length) throw new Error(watch.problems().join("\n"));
 * });
 * ```
 *
 * @module
 */
import { type Browser, chromium, type Page } from "playwright-core";

/** Where Debian installs Chromium (`apt-get install chromium`). */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/** The flags Chromium runs with: headless, no sandbox (CI runs as root), nothing phoning home. */
export const CHROMIUM_ARGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Options for {@link launchBrowser}. */
export interface LaunchOptions {
  /** The Chromium binary. @default "/usr/bin/chromium" */
  executablePath?: string;
}

/**
 * Launch headless Chromium. Close it with `browser.close()`.
 *
 * @throws {Error} Saying to install Debian's `chromium` when the binary is missing.
 */
export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  const executablePath = options.executablePath ?? CHROMIUM_PATH;
  try {
    await Deno.stat(executablePath);
  } catch {
    throw new Error(
      `Cannot start Chromium: "${executablePath}" does not exist (apt-get install chromium)`,
    );
  }
  return await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
}

/** Run `fn` with a fresh headless Chromium, closed afterwards whatever happens. */
export async function withBrowser<T>(
  fn: (browser: Browser) => Promise<T>,
  options: LaunchOptions = {},
): Promise<T> {
  const browser = await launchBrowser(options);
  try {
    return await fn(browser);
  } finally {
    await browser.close();
  }
}

/** What {@link watchPage} saw a page do. */
export interface PageWatch {
  /** Every URL the page requested, in order (the page's own `file://` URL included). */
  requests: string[];
  /** Console messages of type `error` or `warning`. */
  console: string[];
  /** Uncaught exceptions in the page. */
  pageErrors: string[];
  /** Requests that failed, with the failure. */
  failedRequests: string[];
  /** Dialogs the page opened (`alert`, `confirm`, …): each is dismissed. */
  dialogs: string[];
  /** Everything above that is a problem, one line each: console errors and warnings, page errors, failed requests, dialogs. */
  problems(): string[];
}

/** Record a page's requests, console errors, uncaught errors, failed requests and dialogs. */
export function watchPage(page: Page): PageWatch {
  const watch: PageWatch = {
    requests: [],
    console: [],
    pageErrors: [],
    failedRequests: [],
    dialogs: [],
    problems: () => [
      ...watch.console.map((m) => `console: ${m}`),
      ...watch.pageErrors.map((m) => `page error: ${m}`),
      ...watch.failedRequests.map((m) => `failed request: ${m}`),
      ...watch.dialogs.map((m) => `dialog: ${m}`),
    ],
  };
  page.on("request", (r) => watch.requests.push(r.url()));
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") {
      watch.console.push(`${m.type()}: ${m.text()}`);
    }
  });
  page.on("pageerror", (e) => watch.pageErrors.push(e.message));
  page.on(
    "requestfailed",
    (r) => watch.failedRequests.push(`${r.url()} ${r.failure()?.errorText ?? ""}`),
  );
  page.on("dialog", (d) => {
    watch.dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  return watch;
}
