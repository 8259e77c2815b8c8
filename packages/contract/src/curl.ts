import type { Exchange } from "./exchange.js";
import { Redactor, SECRET_PLACEHOLDER, TOKEN_PLACEHOLDER } from "./redact.js";

const placeholderPattern = new RegExp(
  `(${[TOKEN_PLACEHOLDER, SECRET_PLACEHOLDER].map((p) => p.replace("$", "\\$")).join("|")})`,
);

/**
 * Quotes one shell word. Words holding a placeholder are double-quoted so that the shell
 * expands `$MGMTKIT_TOKEN`; everything else in them is escaped.
 */
function quote(word: string): string {
  if (!Redactor.hasPlaceholder(word)) return `'${word.replaceAll("'", `'\\''`)}'`;
  const parts = word.split(placeholderPattern);
  return `"${parts
    .map((part) =>
      part === TOKEN_PLACEHOLDER || part === SECRET_PLACEHOLDER
        ? part
        : part.replace(/[\\"$`]/g, (c) => `\\${c}`),
    )
    .join("")}"`;
}

/** A curl command that repeats the exchange's request, secrets replaced by placeholders. */
export function curlFor(exchange: Exchange, redactor: Redactor): string {
  const words = ["curl", "-sS", "-i"];
  if (exchange.method !== "GET") words.push("-X", exchange.method);
  words.push(quote(redactor.text(exchange.url)));
  for (const [name, value] of Object.entries(exchange.requestHeaders)) {
    words.push("-H", quote(redactor.text(`${name}: ${value}`)));
  }
  if (exchange.requestBody !== undefined) {
    words.push("--data-raw", quote(redactor.text(exchange.requestBody)));
  }
  return words.join(" ");
}
