// Which spans are recorded. A trace whose first span is a bare database query is the background
// loops polling (the audit sealer, the recommendation worker's claims, the verification pass, each
// started from the root context): a couple of such traces a second while idle, which drowned the
// traces of real work. They are not recorded; their log lines still carry trace ids. Everything
// else is recorded as before: a span with a parent follows its parent's decision, and a root span
// of real work (an HTTP request, a job, a BioCore call) is recorded.
import { trace, TraceFlags, type Attributes, type Context, type Link, type SpanKind } from "@opentelemetry/api";

// The SDK's SamplingDecision values (sdk-trace-base), stated here to avoid depending on its internals.
const NOT_RECORD = 0;
const RECORD_AND_SAMPLED = 2;

/** Root spans that only poll: Prisma's client spans and the pg driver's, with no work around them. */
export function isIdlePoll(spanName: string): boolean {
  return spanName.startsWith("prisma:") || spanName === "pg.query" || spanName.startsWith("pg.query:");
}

export class IdlePollSampler {
  shouldSample(
    context: Context,
    _traceId: string,
    spanName: string,
    _kind: SpanKind,
    _attributes: Attributes,
    _links: Link[],
  ): { decision: number } {
    const parent = trace.getSpanContext(context);
    if (parent && trace.isSpanContextValid(parent))
      return {
        decision: (parent.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED ? RECORD_AND_SAMPLED : NOT_RECORD,
      };
    return { decision: isIdlePoll(spanName) ? NOT_RECORD : RECORD_AND_SAMPLED };
  }

  toString(): string {
    return "IdlePollSampler";
  }
}
