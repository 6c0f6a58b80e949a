// Ace by DAISY on many books in one Node process, each with its own report: what
// `ace -s -f -o REPORT-DIR BOOK` does for one. The command starts Node, loads Ace and
// starts a browser for every book; here they start once, and every book's documents
// are checked in the one browser.
// Usage: node ace-books.mjs OUT.json BOOK REPORT-DIR [BOOK REPORT-DIR]...
// OUT.json holds, for each book, "pass", "fail" (Ace's outcome) or the error that
// stopped Ace on it; the findings are in each REPORT-DIR/report.json.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import require from "./project-modules.js";

// Ace's own modules, as its command (@daisy/ace-cli, in package.json) installs them.
const ace = require("@daisy/ace-core");
const logger = require("@daisy/ace-logger");
const runner = require("@daisy/ace-axe-runner-puppeteer"); // the browser the command uses

const [out, ...args] = process.argv.slice(2);
logger.initLogger({ silent: true, fileName: "ace-cli.log" });

// Ace launches and closes the browser around each book: here it is launched once and
// closed at the end, or after a book that failed (a crashed browser fails no other book).
let launched = null;
const shared = {
  ...runner,
  launch: () => (launched ??= runner.launch()),
  close: async () => {},
};

async function closeBrowser() {
  const started = launched;
  launched = null;
  try {
    if (started) await started.then(() => runner.close());
  } catch {
    // A browser that failed to start or died has nothing left to close.
  }
}

const results = {};
for (let i = 0; i + 1 < args.length; i += 2) {
  const [book, outdir] = [resolve(args[i]), resolve(args[i + 1])];
  try {
    const [, report] = await ace(book, { cwd: process.cwd(), outdir, silent: true }, shared);
    results[book] = report["earl:result"]["earl:outcome"] === "fail" ? "fail" : "pass";
  } catch (err) {
    // Ace rejects a book it cannot find with no reason at all.
    results[book] = `error: ${(err && err.message) || err || "Ace could not open the book"}`;
    await closeBrowser();
  }
}
writeFileSync(out, JSON.stringify(results, null, 2));
await closeBrowser();
