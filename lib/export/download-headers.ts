// Headers of a file download: attachment with a safe ASCII name plus its UTF-8 form (RFC 6266),
// never cached.
export function downloadHeaders(filename: string, contentType: string): Record<string, string> {
  const ascii = filename.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 120) || "export";
  return {
    "Content-Type": contentType,
    "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  };
}

/** `<base>-<UTC timestamp>.<ext>`, e.g. audit-trail-2026-11-23-10-00-00.csv. */
export function exportFilename(base: string, ext: string, at = new Date()): string {
  return `${base}-${at.toISOString().slice(0, 19).replace(/[:T]/g, "-")}.${ext}`;
}

export const csvResponseHeaders = (filename: string) => downloadHeaders(filename, "text/csv; charset=utf-8");
export const pdfResponseHeaders = (filename: string) => downloadHeaders(filename, "application/pdf");
