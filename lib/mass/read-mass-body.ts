import { z } from "zod";
import { env } from "@/lib/env";
import { readJson } from "@/lib/http/read-body";

/** The JSON body under the size limit (400 when not JSON, 413 when too large); layers come later. */
export function readMassBody(request: Request): Promise<unknown> {
  return readJson(request, z.unknown(), env().MAX_BODY_BYTES);
}
