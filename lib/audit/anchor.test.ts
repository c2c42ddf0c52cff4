import { describe, expect, it } from "vitest";
import { anchorSignatureValid, readAnchorText, signAnchor } from "./anchor";

const KEY = "anchor-test-key-0123456789abcdef0123";
const head = { chain_pos: "42", hash: "a".repeat(64), count: 42, at: "2026-12-06T21:00:00.000Z" };

describe("anchors", () => {
  it("are signed under the key: any changed field, or another key, fails the signature", () => {
    const anchor = signAnchor(head, KEY);
    expect(anchorSignatureValid(anchor, KEY)).toBe(true);
    expect(anchorSignatureValid(anchor, "another-key-another-key-another-key")).toBe(false);
    expect(anchorSignatureValid({ ...anchor, chain_pos: "43" }, KEY)).toBe(false);
    expect(anchorSignatureValid({ ...anchor, hash: "b".repeat(64) }, KEY)).toBe(false);
    expect(anchorSignatureValid({ ...anchor, count: 41 }, KEY)).toBe(false);
    expect(anchorSignatureValid({ ...anchor, at: "2026-12-06T21:00:00.001Z" }, KEY)).toBe(false);
  });

  it("are read from anchor-file lines, log lines carrying audit_anchor, or a JSON array, skipping anything else", () => {
    const a = signAnchor(head, KEY);
    const b = signAnchor({ ...head, chain_pos: "50", count: 50 }, KEY);
    const log = JSON.stringify({ timestamp: "t", level: "info", msg: "audit anchor", audit_anchor: b });
    expect(readAnchorText(`${JSON.stringify(a)}\nnot json\n${log}\n{"msg":"request"}\n`)).toEqual([a, b]);
    expect(readAnchorText(JSON.stringify([a, b]))).toEqual([a, b]);
    expect(readAnchorText(JSON.stringify({ ...a, chain_pos: "0" }))).toEqual([]);
  });
});
