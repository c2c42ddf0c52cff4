import { existsSync } from "node:fs";
import { join } from "node:path";

// pdfkit's built-in fonts cover WinAnsi only (no CO₂, ≤, Σ, ρ): reports embed DejaVu Sans from the
// dejavu-fonts-ttf package instead; pdfkit subsets it, so a PDF carries only the glyphs it uses.
const DIR = join("node_modules", "dejavu-fonts-ttf", "ttf");

export function pdfFontPaths(root = process.cwd()): { regular: string; bold: string } {
  const regular = join(root, DIR, "DejaVuSans.ttf");
  const bold = join(root, DIR, "DejaVuSans-Bold.ttf");
  if (!existsSync(regular) || !existsSync(bold)) {
    throw new Error(`PDF fonts not found under ${join(root, DIR)} (is dejavu-fonts-ttf installed?)`);
  }
  return { regular, bold };
}
