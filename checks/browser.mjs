// The one way the gate's scripts start Debian's chromium (KLP_CHROMIUM overrides the path).
import { createRequire } from "node:module";

export const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.KLP_CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--no-first-run", "--disable-sync", "--disable-quic"],
  });
}
