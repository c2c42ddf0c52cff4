// The scorecard's JSON shape, for the OpenAPI document.
import { z } from "zod";
import { ComparisonSchema } from "./serialize";

const Group = z.object({
  engine: z.string(),
  category: z.string(),
  implemented: z.number().int(),
  verified: z.number().int().meta({ description: "With a verification report" }),
  conclusive: z
    .number()
    .int()
    .meta({ description: "Confirmed or not confirmed: the verifications the totals and the share count" }),
  confirmed: z.number().int(),
  notConfirmed: z.number().int(),
  inconclusive: z.number().int(),
  confirmedShare: z.number().nullable().meta({ description: "confirmed ÷ conclusive" }),
  predictedKwh: z.number().meta({
    description:
      "Σ predicted saving over the conclusive verifications (positive = saving); inconclusive ones are not counted",
  }),
  verifiedKwh: z.number(),
  verifiedU90Kwh: z.number().meta({ description: "90 % uncertainty of the total: √Σuᵢ²" }),
});
const Item = z.object({
  recommendationId: z.uuid(),
  recId: z.string(),
  tenantId: z.string(),
  siteId: z.string().nullable(),
  category: z.string(),
  engine: z.string(),
  effectiveAt: z.string(),
  comparison: ComparisonSchema,
});

export const ScorecardSchema = z
  .object({
    groups: z.array(Group),
    total: Group,
    items: z.array(Item).meta({ description: "Every implemented recommendation matching the filters" }),
    inconclusive: z
      .array(Item)
      .meta({ description: "The inconclusive verifications (no report yet included), kept out of the totals" }),
    points: z.array(Item).meta({ description: "Calibration points: every implemented recommendation with a report" }),
    misses: z.array(Item.extend({ missKwh: z.number().meta({ description: "verified − predicted" }) })),
    filter: z.record(z.string(), z.string().optional()),
    engines: z.array(z.string()),
    sites: z.array(z.string()),
  })
  .meta({ id: "Scorecard" });
