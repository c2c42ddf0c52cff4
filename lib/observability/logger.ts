// One JSON line per event on stdout, with the active trace ids. No in-process transports, so it
// works bundled; JSON.stringify escapes CR/LF, so a value can never forge a log line.
import { settingOrDefault } from "@/lib/env";
import { isSecretKey, redactSecretValue } from "@/lib/secret-keys";
import { currentTraceIds } from "./trace-context";

export type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

function threshold(): number {
  return ORDER[settingOrDefault("LOG_LEVEL")];
}

/** Drops values under credential keys and values shaped like credentials, whatever the caller passed. */
export function redact(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    if (isSecretKey(key)) out[key] = "[redacted]";
    else if (typeof value === "string") out[key] = redactSecretValue(value);
    else if (value instanceof Error) out[key] = { name: value.name, message: value.message };
    else out[key] = value;
  }
  return out;
}

function write(level: Level, msg: string, fields: LogFields = {}): void {
  if (ORDER[level] < threshold()) return;
  process.stdout.write(logLine(level, msg, fields));
}

/** One log line (newline included), whatever LOG_LEVEL says: for a stream other than stdout. */
export function logLine(level: Level, msg: string, fields: LogFields = {}): string {
  const { traceId, spanId } = currentTraceIds();
  const line = {
    timestamp: new Date().toISOString(),
    level,
    msg,
    // The name the spans carry too, so a log line and its trace name the same service.
    service: settingOrDefault("OTEL_SERVICE_NAME"),
    trace_id: traceId,
    span_id: spanId,
    ...redact(fields),
  };
  return `${JSON.stringify(line)}\n`;
}

export const logger = {
  debug: (msg: string, fields?: LogFields) => write("debug", msg, fields),
  info: (msg: string, fields?: LogFields) => write("info", msg, fields),
  warn: (msg: string, fields?: LogFields) => write("warn", msg, fields),
  error: (msg: string, fields?: LogFields) => write("error", msg, fields),
};
