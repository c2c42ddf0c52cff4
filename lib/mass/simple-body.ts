import { z } from "zod";

// MASS Simple's envelope: `payload` is any JSON object, within the contract's size limits.
export const SimpleBodySchema = z.strictObject({
  payload: z.record(z.string(), z.unknown(), { error: "must be a JSON object" }),
});
