// OpenTelemetry for the Node.js runtime. Traces are exported over OTLP/HTTP when
// OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise spans still give every log line its trace ids.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { registerOTel } = await import("@vercel/otel");
  registerOTel({ serviceName: process.env.OTEL_SERVICE_NAME ?? "pilot-in-a-box" });
}
