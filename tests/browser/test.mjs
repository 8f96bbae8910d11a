// The web page in a real browser: Debian's chromium, driven over the DevTools protocol by puppeteer-core
// (which downloads no browser). Run by tests/browser/run.sh against `storyline serve` on loopback.
import puppeteer from "puppeteer-core";
import assert from "node:assert/strict";

const base = process.env.STORYLINE_URL;
const shots = process.env.SHOTS_DIR;
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
const errors = [];
try {
  const page = await browser.newPage();
  page.on("console", m => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", e => errors.push(String(e)));
  page.setDefaultTimeout(15000);
  await page.setViewport({ width: 1200, height: 900 });

  // The story list.
  await page.goto(base + "/", { waitUntil: "networkidle0" });
  await page.waitForSelector("#stories li a");
  const stories = await page.$$eval("#stories li", items => items.length);
  assert.ok(stories >= 3, `stories listed: ${stories}`);
  await page.screenshot({ path: `${shots}/stories.png`, fullPage: true });
  console.log(`story list: ${stories} stories`);

  // Search, and an article holding <script> shown as text.
  await page.type("#search-input", "chorale");
  await page.click("#search-button");
  await page.waitForSelector("#search-articles li");
  const snippet = await page.$eval("#search-articles li .snippet", n => n.textContent);
  assert.ok(snippet.includes("<script>"), `the script tag is shown as text: ${snippet}`);
  assert.equal(await page.evaluate(() => window.__pwned), undefined, "the article's script never ran");
  await page.screenshot({ path: `${shots}/search.png`, fullPage: true });
  console.log("search: snippet shows <script> as text, nothing ran");

  // A story: sources and the timeline chart.
  await page.goto(base + "/", { waitUntil: "networkidle0" });
  await page.waitForSelector("#stories li a");
  const links = await page.$$eval("#stories li", items => items.map(li => ({
    href: li.querySelector("a").getAttribute("href"), sources: parseInt(li.dataset.sources || "0"),
  })));
  const biggest = links.sort((a, b) => b.sources - a.sources)[0];
  await page.goto(base + "/" + biggest.href, { waitUntil: "networkidle0" });
  await page.waitForSelector("#sources li");
  await page.waitForSelector("#timeline svg rect");
  const sources = await page.$$eval("#sources li", items => items.length);
  assert.ok(sources >= 2, `a story with ${sources} sources`);
  await page.screenshot({ path: `${shots}/story.png`, fullPage: true });
  console.log(`story ${biggest.href}: ${sources} sources, timeline chart drawn`);

  // An entity of it.
  await page.waitForSelector("#entities a");
  await page.click("#entities a");
  await page.waitForSelector("#entity-stories li");
  const name = await page.$eval("h1", h => h.textContent);
  assert.ok(name.length > 0);
  await page.screenshot({ path: `${shots}/entity.png`, fullPage: true });
  console.log(`entity ${name}: page shown`);

  // Readable on a phone.
  await page.setViewport({ width: 390, height: 800, isMobile: true });
  await page.goto(base + "/", { waitUntil: "networkidle0" });
  await page.waitForSelector("#stories li a");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  assert.equal(overflow, false, "no horizontal scrolling on a phone");
  await page.screenshot({ path: `${shots}/phone.png`, fullPage: true });

  assert.deepEqual(errors, [], "no console error");
  console.log("browser test passed; screenshots in " + shots);
} finally {
  await browser.close();
}
