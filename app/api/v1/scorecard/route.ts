// GET /api/v1/scorecard – BioCore's scorecard: implemented recommendations, confirmed share, predicted vs verified per engine version and category
import { withApi } from "@/lib/handlers/with-api";
import { getScorecard, ScorecardFilterSchema } from "@/lib/verification/scorecard";

export const GET = withApi("recommendation.read", async ({ principal, query }) =>
  Response.json(await getScorecard(principal, query(ScorecardFilterSchema))),
);
