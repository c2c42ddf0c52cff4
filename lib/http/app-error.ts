// The one error type of the API; its code decides the HTTP status.
export const ERROR_STATUS = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  rate_limited: 429,
  internal: 500,
  upstream_unavailable: 503,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_TITLES: Record<ErrorCode, string> = {
  bad_request: "Bad request",
  unauthenticated: "Authentication required",
  forbidden: "Forbidden",
  not_found: "Not found",
  method_not_allowed: "Method not allowed",
  conflict: "Conflict",
  payload_too_large: "Payload too large",
  unsupported_media_type: "Unsupported media type",
  validation_failed: "Validation failed",
  rate_limited: "Too many requests",
  internal: "Internal server error",
  upstream_unavailable: "Upstream unavailable",
  unavailable: "Service unavailable",
};

/** One problem: where (a JSON Pointer; for CSV also the row, column and value), what and why. */
export type FieldProblem = {
  pointer: string;
  detail: string;
  code?: string;
  layer?: string;
  row?: number;
  column?: string;
  value?: string;
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly errors?: FieldProblem[];
  readonly headers?: Record<string, string>;
  /** RFC 9457 extension members (e.g. `total_problems`). */
  readonly extensions?: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    detail: string,
    extra: { errors?: FieldProblem[]; headers?: Record<string, string>; extensions?: Record<string, unknown> } = {},
  ) {
    super(detail);
    this.name = "AppError";
    this.code = code;
    this.errors = extra.errors;
    this.headers = extra.headers;
    this.extensions = extra.extensions;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}
