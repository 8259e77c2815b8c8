import type { Browser } from "playwright-core";

export type { Browser, Page } from "playwright-core";

/** Where Debian's `chromium` package installs the browser. */
export declare const chromiumPath: string;

/**
 * Starts Debian's Chromium headless with the flags this project's machines need (each launch gets a
 * fresh temporary profile). Throws one sentence naming `what` and how to install Chromium when it
 * is missing.
 */
export declare function launchChromium(what: string): Promise<Browser>;
