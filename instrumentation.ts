// Runs once when a server process starts (Node.js runtime only): OpenTelemetry, exported over
// OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set (otherwise spans still give every log line its
// trace ids) with Prisma's query spans; and, unless WORKER_MODE=process puts them in a process of
// their own, the audit-chain sealer, the recommendation worker, the verification pass and the observation
// retention pass (when OBSERVATION_RETENTION_MONTHS is set).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { setting } = await import("./lib/env");
  const { registerOTel } = await import("@vercel/otel");
  const { PrismaInstrumentation } = await import("@prisma/instrumentation");
  // fetch (outgoing calls, BioCore included) and Prisma (a span per query) on top of Next.js's own spans.
  const { QueryRedactingSpanProcessor } = await import("./lib/observability/span-redaction");
  // Query values never leave in a span (a client may put credentials there); then the usual export.
  const { IdlePollSampler } = await import("./lib/observability/sampler");
  // Idle polls of the background loops are not traced (lib/observability/sampler.ts).
  registerOTel({
    serviceName: setting("OTEL_SERVICE_NAME"),
    instrumentations: ["fetch", new PrismaInstrumentation()],
    spanProcessors: [new QueryRedactingSpanProcessor(), "auto"],
    traceSampler: new IdlePollSampler(),
  });
  // WORKER_MODE=process: the background loops run in their own process (scripts/worker.ts, started
  // by `npm start` or as the `worker` container); this one only serves requests.
  if (process.env.NEXT_PHASE !== "phase-production-build" && setting("WORKER_MODE") === "inline") {
    const { startAuditSealer } = await import("./lib/audit/sealer");
    startAuditSealer();
    const { startRecommendationWorker } = await import("./lib/biocore/worker");
    startRecommendationWorker();
    const { startVerificationWorker } = await import("./lib/verification/worker");
    startVerificationWorker();
    const { startRetentionWorker } = await import("./lib/observations/retention");
    startRetentionWorker();
  }
}
