// Property tests run with a fixed seed, so the suite is deterministic; set FC_SEED to explore
// other inputs (a failure prints the seed and path that reproduce it).
import fc from "fast-check";

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261123) });
