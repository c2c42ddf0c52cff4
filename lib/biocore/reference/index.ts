// The pilot's built-in reference engine (BioCore contract §3), used when BIOCORE_URL is unset.
// Rules, constants and sources: docs/BIOCORE-REFERENCE.md.
export { REFERENCE_VERSION } from "./constants";
export { referenceHealth, referenceVersion } from "./health";
export { recommend, type RecommendOptions } from "./recommend";
