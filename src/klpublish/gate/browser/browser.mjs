// The one way the gate's scripts start Debian's chromium (KLPUBLISH_CHROMIUM overrides the path).
// Node modules are loaded from the project's node_modules (KLPUBLISH_NODE_PROJECT, set by
// klpublish): an installed klpublish keeps these scripts where no node_modules is above them.
import { createRequire } from "node:module";
import { resolve } from "node:path";

const project = process.env.KLPUBLISH_NODE_PROJECT;
export const require = createRequire(
  project ? resolve(project, "package.json") : import.meta.url);
const { chromium } = require("playwright-core");

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.KLPUBLISH_CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--no-first-run", "--disable-sync", "--disable-quic"],
  });
}
