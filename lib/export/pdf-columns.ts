// Column widths for PDF tables whose headers are never broken inside a word: each column is at
// least as wide as the longest word of its header (plus padding) at the font size used; the rest
// of the width is shared by the columns' weights; when even the headers' words do not fit, the
// font shrinks (to `minSize`). Headers then wrap only at spaces. Pure: the caller measures text.

export type MeasureText = (text: string, size: number) => number;

export function longestWordWidth(measure: MeasureText, header: string, size: number): number {
  return Math.max(
    0,
    ...header
      .split(/\s+/)
      .filter(Boolean)
      .map((w) => measure(w, size)),
  );
}

export function fitColumnWidths(o: {
  measure: MeasureText;
  headers: string[];
  weights: number[];
  total: number;
  pad: number;
  size: number;
  minSize?: number;
}): { widths: number[]; fontSize: number } {
  const minSize = o.minSize ?? 5;
  for (let size = o.size; ; size = Math.max(minSize, size - 0.25)) {
    // A hair over the measured width: pdfkit's line breaking compares with rounding of its own.
    const need = o.headers.map((h) => longestWordWidth(o.measure, h, size) + 2 * o.pad + 0.5);
    const fits = need.reduce((a, b) => a + b, 0) <= o.total;
    if (fits || size <= minSize) return { widths: share(need, o.weights, o.total), fontSize: size };
  }
}

/** `total` shared by weight, no column below its need (columns at their need leave the sharing). */
function share(need: number[], weights: number[], total: number): number[] {
  const fixed = new Set<number>();
  for (;;) {
    const fixedWidth = [...fixed].reduce((s, i) => s + need[i]!, 0);
    const freeWeight = weights.reduce((s, w, i) => (fixed.has(i) ? s : s + w), 0);
    const rest = Math.max(0, total - fixedWidth);
    const widths = weights.map((w, i) => (fixed.has(i) ? need[i]! : freeWeight > 0 ? (w / freeWeight) * rest : 0));
    const short = widths.findIndex((w, i) => !fixed.has(i) && w < need[i]!);
    if (short < 0) return widths;
    fixed.add(short);
  }
}

/** A header broken into lines at spaces only, greedily, each at most `width` when a word allows. */
export function wrapAtSpaces(text: string, width: number, measure: (text: string) => number): string[] {
  const lines: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const last = lines[lines.length - 1];
    if (last !== undefined && measure(`${last} ${word}`) <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}
