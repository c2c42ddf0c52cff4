// A streamed PDF report: title, a key/value block (filters, generation time, versions), a table
// whose header repeats on every page, and closing lines. Pages are numbered as they are made, so
// nothing is buffered beyond what pdfkit has not yet handed to the stream.
import { Readable } from "node:stream";
import PDFDocument from "pdfkit";
import { fitColumnWidths, wrapAtSpaces } from "./pdf-columns";
import { pdfFontPaths } from "./pdf-fonts";

export type PdfColumn<T> = { header: string; width: number; value: (row: T) => string; align?: "left" | "right" };

export type PdfTableOptions<T> = {
  title: string;
  subtitle?: string;
  meta: [string, string][];
  columns: PdfColumn<T>[];
  rows: AsyncIterable<T> | Iterable<T>;
  footerLines?: () => Promise<string[]> | string[];
  landscape?: boolean;
  creationDate?: Date;
  maxLinesPerCell?: number;
};

const MARGIN = 36;
const FONT_SIZE = 7.5;
const PAD = 3;
const BRAND = "#047857";

export function renderTablePdf<T>(options: PdfTableOptions<T>): ReadableStream<Uint8Array> {
  const fonts = pdfFontPaths();
  const doc = new PDFDocument({
    size: "A4",
    layout: options.landscape === false ? "portrait" : "landscape",
    margins: { top: MARGIN, bottom: MARGIN + 14, left: MARGIN, right: MARGIN },
    info: { Title: options.title, Creator: "Pilot-in-a-Box", CreationDate: options.creationDate ?? new Date() },
    autoFirstPage: true,
  });
  doc.registerFont("body", fonts.regular);
  doc.registerFont("bold", fonts.bold);
  void write(doc, options).catch((error: unknown) => doc.emit("error", error));
  return Readable.toWeb(doc) as unknown as ReadableStream<Uint8Array>;
}

async function write<T>(doc: PDFKit.PDFDocument, o: PdfTableOptions<T>): Promise<void> {
  let page = 1;
  const stampPageNumber = () => {
    // Writing inside the bottom margin would make pdfkit start another page: lift it meanwhile.
    const { bottom } = doc.page.margins;
    const [x, y] = [doc.x, doc.y];
    doc.page.margins.bottom = 0;
    doc.font("body").fontSize(7).fillColor("#64748b");
    doc.text(`${o.title} · page ${page}`, MARGIN, doc.page.height - bottom + 4, {
      width: doc.page.width - 2 * MARGIN,
      align: "right",
      lineBreak: false,
    });
    doc.fillColor("black");
    doc.page.margins.bottom = bottom;
    [doc.x, doc.y] = [x, y];
  };
  doc.on("pageAdded", () => {
    page += 1;
    stampPageNumber();
  });
  stampPageNumber();

  doc.font("bold").fontSize(16).fillColor(BRAND).text(o.title, MARGIN, MARGIN);
  if (o.subtitle) doc.font("body").fontSize(9).fillColor("#334155").text(o.subtitle);
  doc.moveDown(0.5);
  for (const [label, value] of o.meta) {
    doc.font("bold").fontSize(8).fillColor("#0f172a").text(`${label}: `, { continued: true });
    doc.font("body").text(value);
  }
  doc.moveDown(0.8);

  const usable = doc.page.width - 2 * MARGIN;
  // Widths by weight, but never narrower than a header's longest word: headers wrap at spaces only.
  const { widths, fontSize: headerSize } = fitColumnWidths({
    measure: (text, size) => doc.font("bold").fontSize(size).widthOfString(text),
    headers: o.columns.map((c) => c.header),
    weights: o.columns.map((c) => c.width),
    total: usable,
    pad: PAD,
    size: FONT_SIZE,
  });
  const maxLines = o.maxLinesPerCell ?? 3;
  const lineHeight = doc.font("body").fontSize(FONT_SIZE).currentLineHeight(true);
  const bottomLimit = () => doc.page.height - doc.page.margins.bottom;

  const drawHeader = () => {
    const y = doc.y;
    doc.font("bold").fontSize(headerSize);
    const headerLines = o.columns.map((c, i) =>
      wrapAtSpaces(c.header, widths[i]! - 2 * PAD, (t) => doc.widthOfString(t)),
    );
    const headerLine = doc.currentLineHeight(true);
    const h = Math.max(...headerLines.map((l) => l.length)) * headerLine + 2 * PAD;
    doc.rect(MARGIN, y, usable, h).fill(BRAND);
    let x = MARGIN;
    doc.font("bold").fontSize(headerSize).fillColor("white");
    o.columns.forEach((c, i) => {
      headerLines[i]!.forEach((line, k) =>
        doc.text(line, x + PAD, y + PAD + k * headerLine, {
          width: widths[i]! - 2 * PAD,
          align: c.align ?? "left",
          lineBreak: false,
        }),
      );
      x += widths[i]!;
    });
    doc.fillColor("black");
    doc.y = y + h;
  };

  drawHeader();
  let index = 0;
  for await (const row of o.rows) {
    doc.font("body").fontSize(FONT_SIZE);
    const cells = o.columns.map((c) => c.value(row) ?? "");
    // heightOfString includes the trailing line gap: round rather than ceil so one line stays one.
    const lines = cells.map((text, i) =>
      Math.min(
        maxLines,
        Math.max(1, Math.round(doc.heightOfString(text, { width: widths[i]! - 2 * PAD }) / lineHeight)),
      ),
    );
    const h = Math.max(...lines) * lineHeight + 2 * PAD;
    if (doc.y + h > bottomLimit()) {
      doc.addPage();
      doc.y = doc.page.margins.top;
      drawHeader();
    }
    const y = doc.y;
    if (index % 2 === 1) doc.rect(MARGIN, y, usable, h).fill("#f1f5f9");
    doc.fillColor("#0f172a").font("body").fontSize(FONT_SIZE);
    let x = MARGIN;
    cells.forEach((text, i) => {
      doc.text(text, x + PAD, y + PAD, {
        width: widths[i]! - 2 * PAD,
        height: lines[i]! * lineHeight,
        align: o.columns[i]!.align ?? "left",
        ellipsis: true,
      });
      x += widths[i]!;
    });
    doc.y = y + h;
    index += 1;
  }
  if (index === 0)
    doc
      .font("body")
      .fontSize(9)
      .fillColor("#64748b")
      .text("No rows.", MARGIN, doc.y + 6);

  const footer = o.footerLines ? await o.footerLines() : [];
  if (footer.length > 0) {
    if (doc.y + footer.length * 14 + 20 > bottomLimit()) doc.addPage();
    doc.moveDown(1);
    doc.x = MARGIN;
    for (const line of footer)
      doc.font("bold").fontSize(9).fillColor("#0f172a").text(line, MARGIN, doc.y, { width: usable });
  }
  doc.end();
}
