// pa11y-ci, second run: axe's WCAG 2.2 AA rules. pa11y's axe runner always runs the
// WCAG 2.0/2.1 A and AA tags (first run); `rules` adds the 2.2 ones (in axe-core
// 4.11 that is target-size). It is a run of its own because HTML_CodeSniffer
// rejects rule names it does not know.
const base = require("./pa11y.config.js");

module.exports = {
  defaults: { ...base.defaults, runners: ["axe"], rules: ["target-size"] },
  urls: base.urls.map((entry) => (typeof entry === "string" ? entry : entry.url)),
};
