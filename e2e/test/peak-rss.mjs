// Preloaded (`node --import`) into a child whose peak memory a test measures: its peak resident
// set, in kilobytes, is written to PEAK_RSS_FILE when it exits, however it exits normally.
import { writeFileSync } from "node:fs";

const file = process.env.PEAK_RSS_FILE;
if (file) {
  process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
}
