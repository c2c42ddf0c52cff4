// The reference engine's /health and /version answers. It is code in this process, so it is up
// whenever the app is.
import type { BioCoreHealth, BioCoreVersion } from "@/lib/biocore/contract";
import { utcSeconds } from "@/lib/mass/values";
import { FEATURE_SET_VERSION, MODEL_NAME, MODEL_VERSION, POLICY_ID, REFERENCE_VERSION } from "./constants";

export function referenceHealth(now: Date): BioCoreHealth {
  return { status: "ok", checked_at_utc: utcSeconds(now) };
}

export function referenceVersion(): BioCoreVersion {
  return {
    name: MODEL_NAME,
    version: REFERENCE_VERSION,
    model_version: MODEL_VERSION,
    feature_set_version: FEATURE_SET_VERSION,
    policy_id: POLICY_ID,
  };
}
