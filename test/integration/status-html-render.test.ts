// `pullwarden status -o html` in a real browser: Debian's headless Chromium driven by playwright-core. The page
// of a cluster with every state (test/cli/status-fixtures.ts) renders its timeline and matrix, asks for nothing
// but itself (every request is recorded, and any other is aborted), logs no console error, and holds no secret.
// The screenshot goes to /tmp/pw/status-screenshot.png (or $STATUS_SCREENSHOT) for people to look at.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildStatusView } from "../../src/controller/status-view.js";
import { renderStatusHtml } from "../../src/controller/status-view-html.js";
import { CANARY, statusFixture } from "../cli/status-fixtures.js";
import { makeScratchDir, removeScratchDir } from "../support/scratch.js";

const CHROMIUM = "/usr/bin/chromium";
const SCREENSHOT = process.env["STATUS_SCREENSHOT"] ?? "/tmp/pw/status-screenshot.png";

/** The one browser global the test reads (the project's TypeScript has no DOM library). */
interface BrowserGlobals {
  getComputedStyle(element: unknown): { backgroundColor: string };
}

let browser: Browser;
let dir: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} not found: run scripts/install-test-deps.sh (apt-get install -y chromium)`);
  dir = makeScratchDir("status-html");
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
});
afterAll(async () => {
  await browser?.close();
  if (dir) removeScratchDir(dir);
});

/** Loads `html` from a file with every request recorded and all but the file's own aborted. */
async function load(html: string, name: string) {
  const file = join(dir, name);
  writeFileSync(file, html);
  const url = pathToFileURL(file).href;
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const requested: string[] = [];
  const problems: string[] = [];
  await context.route("**/*", async (route) => {
    if (route.request().url() === url) await route.continue();
    else await route.abort();
  });
  const page = await context.newPage();
  page.on("request", (request) => requested.push(request.url()));
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto(url, { waitUntil: "load" });
  return { url, context, page, requested, problems };
}

describe("status -o html in headless Chromium", () => {
  it("renders the timeline and the matrix, requests nothing but itself, no console error, no secret", async () => {
    const html = renderStatusHtml(buildStatusView(statusFixture()), { name: "pullwarden", version: "test" });
    const { url, context, page, requested, problems } = await load(html, "status.html");

    expect(await page.title()).toBe("pullwarden status");
    const timeline = page.locator('svg[aria-label="credential expiry timeline"]');
    const box = await timeline.boundingBox();
    expect(box?.width).toBeGreaterThan(600);
    expect(box?.height).toBeGreaterThan(100);
    expect(await timeline.locator("rect").count()).toBe(3);
    expect(await timeline.locator("circle").count()).toBe(4);
    expect(await timeline.locator("text", { hasText: "now" }).count()).toBe(1);
    expect(await page.locator("table.matrix td.cell").count()).toBe(21);
    expect(await page.locator("table.matrix td.cell.controller").count()).toBe(5);
    // The colours come from the inline stylesheet.
    expect(
      await page
        .locator("table.matrix td.cell.none")
        .first()
        .evaluate((el) => (globalThis as unknown as BrowserGlobals).getComputedStyle(el).backgroundColor),
    ).toBe("rgb(255, 235, 233)");
    expect(await page.locator("body").innerText()).not.toContain(CANARY);

    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await context.close();

    expect(requested).toEqual([url]);
    expect(problems).toEqual([]);
  });

  it("the request recording sees what a page would fetch (control: a page with an outside image)", async () => {
    const { url, context, requested, problems } = await load(
      '<!DOCTYPE html><html><head><title>x</title></head><body><img src="http://example.invalid/x.png"></body></html>',
      "control.html",
    );
    await context.close();
    expect(requested).toEqual([url, "http://example.invalid/x.png"]);
    expect(problems.length).toBeGreaterThan(0); // the aborted load is reported
  });
});
