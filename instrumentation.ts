// Runs once when a server process starts (Node.js runtime only): OpenTelemetry, exported over
// OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set (otherwise spans still give every log line its
// trace ids) with Prisma's query spans, the audit-chain sealer, the recommendation worker and the
// verification pass.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { registerOTel } = await import("@vercel/otel");
  const { PrismaInstrumentation } = await import("@prisma/instrumentation");
  // fetch (outgoing calls, BioCore included) and Prisma (a span per query) on top of Next.js's own spans.
  const { QueryRedactingSpanProcessor } = await import("./lib/observability/span-redaction");
  // Query values never leave in a span (a client may put credentials there); then the usual export.
  registerOTel({ serviceName: process.env.OTEL_SERVICE_NAME ?? "pilot-in-a-box", instrumentations: ["fetch", new PrismaInstrumentation()], spanProcessors: [new QueryRedactingSpanProcessor(), "auto"] });
  if (process.env.NEXT_PHASE !== "phase-production-build") {
    const { startAuditSealer } = await import("./lib/audit/sealer");
    startAuditSealer();
    const { startRecommendationWorker } = await import("./lib/biocore/worker");
    startRecommendationWorker();
    const { startVerificationWorker } = await import("./lib/verification/worker");
    startVerificationWorker();
  }
}
