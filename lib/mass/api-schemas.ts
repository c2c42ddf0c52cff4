// Small request shapes of the MASS routes (also fed to the OpenAPI document).
import { z } from "zod";
import { MassStatusSchema } from "./serialize";

export const StatusChangeSchema = z
  .strictObject({ status: MassStatusSchema })
  .meta({ id: "MassStatusChange", example: { status: "processing" } });

export const ValidateQuerySchema = z.object({
  kind: z.enum(["enterprise", "simple"]).optional().meta({
    description:
      "Which form to validate; when absent, a body with only `payload` is MASS Simple, anything else enterprise",
  }),
});
