import { z } from "zod";
import { AppError } from "./app-error";

const Uuid = z.uuid();

/** A path id that is not a UUID names nothing: 404, like an unknown one. */
export function uuidParam(value: string | undefined, what: string): string {
  const parsed = Uuid.safeParse(value);
  if (!parsed.success) throw new AppError("not_found", `No such ${what}`);
  return parsed.data;
}
