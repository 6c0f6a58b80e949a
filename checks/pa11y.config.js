// pa11y-ci: WCAG 2 AA with axe and HTML_CodeSniffer, warnings included.
// KLP_PAGES (set by `klpublish check`) lists the pages: the HTML letters, the index,
// and every XHTML document unpacked from every EPUB.
const pages = (process.env.KLP_PAGES || "").split("\n").filter(Boolean);

// HTML_CodeSniffer's H48 ("if this element contains a navigation section, mark it
// up as a list") fires on the letter's paragraph that names two web addresses in a
// sentence. That paragraph is running text, not navigation: ignored on the letter
// pages (and their EPUB chapters) only; the index and navigation documents keep it.
const letterPage = /letter\.[a-zA-Z_]+\.html$|\/text\/ch\d+\.xhtml$/;

module.exports = {
  defaults: {
    standard: "WCAG2AA",
    runners: ["axe", "htmlcs"],
    timeout: 60000,
    includeWarnings: true,
    useIncognitoBrowserContext: false,
    concurrency: 2,
    chromeLaunchConfig: {
      executablePath: process.env.KLP_CHROMIUM || "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--no-first-run", "--disable-sync",
             "--disable-quic"],
    },
  },
  urls: pages.map((url) =>
    letterPage.test(url)
      ? { url, ignore: ["WCAG2AA.Principle1.Guideline1_3.1_3_1.H48"] }
      : url),
};
