// What a screen reader meets: Chromium's accessibility tree of each page, as
// Playwright's ariaSnapshot YAML. Usage: node aria-snapshot.mjs OUT.json FILE...
import { createRequire } from "node:module";
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");

const [out, ...files] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.KLP_CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--no-first-run", "--disable-sync", "--disable-quic"],
});
const snapshots = {};
try {
  const page = await browser.newPage();
  for (const file of files) {
    await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: "load" });
    snapshots[file] = await page.locator("body").ariaSnapshot();
  }
} finally {
  await browser.close();
}
writeFileSync(out, JSON.stringify(snapshots, null, 2));
