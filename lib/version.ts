// Version and commit are inlined at build time by next.config.ts; scripts fall back to the env.
export const APP_VERSION = process.env.PIB_APP_VERSION ?? process.env.APP_VERSION ?? "0.0.0-dev";
export const GIT_COMMIT = process.env.PIB_GIT_COMMIT ?? process.env.GIT_COMMIT ?? null;
