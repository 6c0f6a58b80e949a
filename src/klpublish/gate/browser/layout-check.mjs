// Reflow and dark-mode contrast, which pa11y does not test: each page at 320 CSS px
// wide and at 640 px (a 1280 px window at 200 % zoom) must not scroll sideways, and
// axe's colour-contrast rule must pass in the dark colour scheme as in the light one.
// Usage: node layout-check.mjs OUT.json FILE...
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { launchChromium, require } from "./browser.mjs";

const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf-8");

const [out, ...files] = process.argv.slice(2);
const browser = await launchChromium();
const results = {};
try {
  // One load per file: the page is laid out again at each width and restyled for each
  // scheme in place (the pages run no script, so nothing depends on the first layout).
  const page = await browser.newPage({ viewport: { width: 320, height: 800 } });
  for (const file of files) {
    const problems = [];
    await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: "load" });
    for (const width of [320, 640]) {
      await page.setViewportSize({ width, height: 800 });
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (overflow > 0) problems.push(`scrolls sideways by ${overflow}px at ${width}px wide`);
    }
    await page.setViewportSize({ width: 1280, height: 720 });  // a new page's own size
    await page.addScriptTag({ content: axeSource });
    for (const scheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme: scheme });
      const found = await page.evaluate(async () =>
        (await window.axe.run(document, { runOnly: ["color-contrast"] })).violations);
      for (const v of found) {
        for (const node of v.nodes) {
          problems.push(`${scheme} scheme: ${v.id}: ${node.target.join(" ")}`);
        }
      }
    }
    results[resolve(file)] = problems;
  }
} finally {
  await browser.close();
}
writeFileSync(out, JSON.stringify(results, null, 2));
