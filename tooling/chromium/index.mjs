// Debian's Chromium, driven by playwright-core: the browser tests never download a browser.
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";

/** Where Debian's `chromium` package installs the browser. */
export const chromiumPath = "/usr/bin/chromium";

// Without the background-networking flags Chromium keeps dialing Google's hosts, which this
// machine's closed network refuses; the sandbox needs privileges a CI container does not give.
const args = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/**
 * Starts Chromium headless (playwright gives each launch a fresh temporary profile). Throws one
 * sentence saying how to install it when it is missing, naming `what` needs it.
 * @param {string} what
 * @returns {Promise<import("playwright-core").Browser>}
 */
export async function launchChromium(what) {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `${what} drives Debian's Chromium at ${chromiumPath}, which is missing: install it with \`apt-get install chromium\` (the tests never download a browser).`,
    );
  }
  return chromium.launch({ executablePath: chromiumPath, headless: true, args });
}
