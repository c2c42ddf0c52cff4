// Why a model cannot be fitted or a study cannot run: a clear, named reason instead of a NaN.
export type MvErrorCode =
  "too_few_points" | "zero_variance" | "collinear" | "no_data" | "unsupported" | "missing_variable" | "missing_signal";

export class MvError extends Error {
  constructor(
    readonly code: MvErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "MvError";
  }
}
