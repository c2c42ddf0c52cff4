import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "./app-error";
import { jsonPointer, problemResponse, zodToAppError } from "./problem";

describe("problem details", () => {
  it("builds RFC 6901 pointers, escaping ~ and /", () => {
    expect(jsonPointer(["a", 0, "b/c", "d~e"])).toBe("/a/0/b~1c/d~0e");
    expect(jsonPointer([])).toBe("");
  });

  it("lists every zod issue", () => {
    const schema = z.object({ a: z.string(), b: z.array(z.number()) });
    const result = schema.safeParse({ a: 1, b: [1, "x", "y"] });
    const error = zodToAppError(result.error!);
    expect(error.status).toBe(422);
    expect(error.errors?.map((e) => e.pointer)).toEqual(["/a", "/b/1", "/b/2"]);
  });

  it("answers application/problem+json with the status, a type URI and Bearer challenge on 401", async () => {
    const res = problemResponse(new AppError("unauthenticated", "no"), "rid-1", "/api/x");
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer /);
    expect(await res.json()).toMatchObject({
      status: 401,
      title: "Authentication required",
      detail: "no",
      request_id: "rid-1",
      instance: "/api/x",
    });
  });
});
