// The text of a PDF, page by page, read with pdf.js: tests check what a reader of the PDF sees.
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

export async function pdfText(bytes: Uint8Array): Promise<string> {
  const doc = await getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    useSystemFonts: false,
    verbosity: 0,
  }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(content.items.map((item) => ("str" in item ? item.str : "")).join(" "));
  }
  await doc.destroy();
  return pages.join("\n");
}

/** One run of text with where it sits: x and y of its baseline in PDF points (y up from the page's foot). */
export type PdfTextItem = { page: number; str: string; x: number; y: number; height: number; width: number };

/** The text runs of a PDF with their positions, for layout checks (a label above a tick, not on it). */
export async function pdfTextItems(bytes: Uint8Array): Promise<PdfTextItem[]> {
  const doc = await getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    useSystemFonts: false,
    verbosity: 0,
  }).promise;
  const out: PdfTextItem[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    for (const item of content.items) {
      if (!("str" in item) || item.str.trim() === "") continue;
      const [, , , d, e, f] = item.transform as number[];
      out.push({ page: i, str: item.str, x: e!, y: f!, height: item.height || Math.abs(d!), width: item.width });
    }
  }
  await doc.destroy();
  return out;
}

/** A web stream's bytes (a rendered PDF). */
export async function streamBytes(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
