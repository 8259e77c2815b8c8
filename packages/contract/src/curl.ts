import type { Exchange } from "./exchange.js";
import type { Redactor } from "./redact.js";

/** Quotes one shell word in single quotes: nothing in it is expanded. */
const shellWord = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

/**
 * Quotes one shell word. Words holding a placeholder are double-quoted so that the shell
 * expands `$MGMTKIT_TOKEN`; everything else in them is escaped.
 */
function quote(word: string, redactor: Redactor): string {
  const parts = redactor.split(word);
  if (!parts.some((part) => part.placeholder)) return shellWord(word);
  return `"${parts
    .map((part) => (part.placeholder ? part.text : part.text.replace(/[\\"$`]/g, (c) => `\\${c}`)))
    .join("")}"`;
}

/** A curl command that repeats the exchange's request, secrets replaced by placeholders. */
export function curlFor(exchange: Exchange, redactor: Redactor): string {
  const words = ["curl", "-sS", "-i"];
  if (exchange.method !== "GET") words.push("-X", exchange.method);
  words.push(quote(redactor.text(exchange.url), redactor));
  for (const [name, value] of Object.entries(exchange.requestHeaders)) {
    words.push("-H", quote(redactor.text(`${name}: ${value}`), redactor));
  }
  if (exchange.requestBody !== undefined) {
    words.push("--data-raw", quote(redactor.text(exchange.requestBody), redactor));
  }
  return words.join(" ");
}

/**
 * The shell line that sets `$MGMTKIT_TOKEN`, which every reproduction reads: the token request
 * with the client secret left in `$MGMTKIT_CLIENT_SECRET`, and the token taken from its answer.
 */
export function tokenCommand(baseUrl: string, clientId: string): string {
  const endpoint = `${baseUrl.replace(/\/+$/, "")}/oauth/token`;
  return `export MGMTKIT_TOKEN="$(curl -sS ${shellWord(endpoint)} --data-urlencode ${shellWord(`client_id=${clientId}`)} --data-urlencode "client_secret=$MGMTKIT_CLIENT_SECRET" -d grant_type=client_credentials | sed -E 's/.*"access_token" *: *"([^"]*)".*/\\1/')"`;
}
