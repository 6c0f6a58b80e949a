// The one way the gate's scripts start Debian's chromium (KLPUBLISH_CHROMIUM overrides the path).
// Node modules come from the project's node_modules (see project-modules.js).
import projectRequire from "./project-modules.js";

export const require = projectRequire;
const { chromium } = require("playwright-core");

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.KLPUBLISH_CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--no-first-run", "--disable-sync", "--disable-quic"],
  });
}
