// What a screen reader meets: Chromium's accessibility tree of each page, as
// Playwright's ariaSnapshot YAML. Usage: node aria-snapshot.mjs OUT.json FILE...
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { launchChromium } from "./browser.mjs";

const [out, ...files] = process.argv.slice(2);
const browser = await launchChromium();
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
