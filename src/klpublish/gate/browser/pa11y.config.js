// pa11y-ci: WCAG 2 AA with axe and HTML_CodeSniffer, warnings included, and axe's WCAG 2.2
// AA rules: pa11y's axe runner always runs the WCAG 2.0/2.1 A and AA tags; `rules` adds
// the 2.2 ones (in axe-core 4.11 that is target-size). HTML_CodeSniffer runs through
// htmlcs-runner.js, which keeps those rule names from it.
// KLPUBLISH_PAGES (set by `klpublish check`) is the JSON list of pa11y-ci entries, one per page
// (the HTML letters, the index, every XHTML document unpacked from every EPUB), each with
// the rules its kind of page is exempt from: klpublish decides both from the project's
// layout (see PA11Y_IGNORED in src/klpublish/gate/tools.py).
const { join } = require("node:path");
const htmlcs = join(__dirname, "htmlcs-runner.js");

const urls = JSON.parse(process.env.KLPUBLISH_PAGES || "[]");

module.exports = {
  defaults: {
    standard: "WCAG2AA",
    runners: ["axe", htmlcs],
    rules: require(htmlcs).axeOnly,
    timeout: 60000,
    includeWarnings: true,
    useIncognitoBrowserContext: false,
    concurrency: 2,
    chromeLaunchConfig: {
      executablePath: process.env.KLPUBLISH_CHROMIUM || "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--no-first-run", "--disable-sync",
             "--disable-quic"],
    },
  },
  urls,
};
