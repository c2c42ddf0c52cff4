// Whatever the server and the worker process print through `console` — Next.js's own start-up,
// warning and error lines, a library's warning (next-auth), a stray console.log — becomes a log
// line of lib/observability/logger.ts, so that their stdout carries one JSON object per line and
// nothing else. Such a line says `source: "console"`; its level is the console method's.
import { format, stripVTControlCharacters } from "node:util";
import { redactSecretsInText } from "@/lib/secret-keys";
import { logger, type LogFields } from "./logger";

const LEVEL_OF = { debug: "debug", log: "info", info: "info", warn: "warn", error: "error" } as const;
type ConsoleMethod = keyof typeof LEVEL_OF;

// Next.js starts its lines with a status glyph (✓ ⚠ ⨯ ○ ▲ »): the level says as much.
const NEXT_GLYPH = /^\s*[✓⚠⨯○▲»](?:\s+|$)/u;

/** What console.log(...args) would print, as one message: colours, the glyph and credentials removed. */
export function consoleMessage(args: unknown[]): string {
  return redactSecretsInText(stripVTControlCharacters(format(...args)))
    .replace(NEXT_GLYPH, "")
    .trim();
}

/** Sends `console.debug/log/info/warn/error` of this process to the logger (stdout, JSON), with `fields`. */
export function routeConsoleToLog(fields: LogFields = {}): void {
  for (const method of Object.keys(LEVEL_OF) as ConsoleMethod[]) {
    const level = LEVEL_OF[method];
    // eslint-disable-next-line no-console -- replacing the console's methods is this module's purpose
    console[method] = (...args: unknown[]): void => {
      const msg = consoleMessage(args);
      // The blank lines Next.js prints around its banner say nothing.
      if (msg) logger[level](msg, { ...fields, source: "console" });
    };
  }
}
