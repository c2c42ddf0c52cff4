// One JSON line per event on stdout, with the active trace ids. No in-process transports, so it
// works bundled; JSON.stringify escapes CR/LF, so a value can never forge a log line.
import { isSecretKey, redactSecretValue } from "@/lib/secret-keys";
import { currentTraceIds } from "./trace-context";

type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

function threshold(): number {
  const level = (process.env.LOG_LEVEL ?? "info") as Level;
  return ORDER[level] ?? ORDER.info;
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
  const { traceId, spanId } = currentTraceIds();
  const line = {
    timestamp: new Date().toISOString(),
    level,
    msg,
    service: "pilot-in-a-box",
    trace_id: traceId,
    span_id: spanId,
    ...redact(fields),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

export const logger = {
  debug: (msg: string, fields?: LogFields) => write("debug", msg, fields),
  info: (msg: string, fields?: LogFields) => write("info", msg, fields),
  warn: (msg: string, fields?: LogFields) => write("warn", msg, fields),
  error: (msg: string, fields?: LogFields) => write("error", msg, fields),
};
