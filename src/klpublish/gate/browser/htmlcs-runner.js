// pa11y's own HTML_CodeSniffer runner, without axe's rule names. pa11y hands the same
// `rules` to every runner; ours names axe's WCAG 2.2 rule (target-size), which
// HTML_CodeSniffer refuses as "not a valid WCAG 2.1 rule". Without this, axe's WCAG 2.2
// rules would need a second pa11y run: every page loaded again for one rule.
// pa11y loads a runner by path and sends its `run` to the page as source text.
const projectRequire = require("./project-modules.js");

const htmlcs = projectRequire("pa11y/lib/runners/htmlcs");

// axe's rules in `rules` (pa11y.config.js takes them from here). Only these are kept
// from HTML_CodeSniffer: any other name still reaches it, and one it does not know
// fails the page, as it would without this runner.
const axeOnly = ["target-size"];

module.exports = {
  axeOnly,
  supports: htmlcs.supports,
  scripts: htmlcs.scripts,
  run: {
    toString: () => `(options, pa11y) => (${htmlcs.run})({ ...options, rules: options.rules
      .filter((rule) => !${JSON.stringify(axeOnly)}.includes(rule)) }, pa11y)`,
  },
};
