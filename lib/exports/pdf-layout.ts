/**
 * The PDF report's building blocks on pdfkit: the embedded font, headings, paragraphs, tables
 * that continue across pages under a repeated header row, and bar and line charts drawn as
 * vector paths (no images), so they stay sharp at any zoom.
 */
import fs from "node:fs";
import path from "node:path";

export type Pdf = PDFKit.PDFDocument;

/**
 * WenQuanYi Micro Hei: one face with Latin, accented Latin, symbols and CJK, embedded as a
 * subset of the glyphs a report uses. Shipped in the repository (lib/exports/fonts, with its
 * licence), read from disk once per process.
 */
const fontFamily = "WenQuanYiMicroHei";
const fontPath = path.join(process.cwd(), "lib", "exports", "fonts", "wqy-microhei.ttc");
let fontBytes: Buffer | undefined;

export function embedReportFont(doc: Pdf): void {
  fontBytes ??= fs.readFileSync(fontPath);
  doc.registerFont("body", fontBytes, fontFamily);
  doc.font("body");
}

export const colors = { text: "#0f172a", muted: "#64748b", rule: "#e2e8f0", headerFill: "#f1f5f9", accent: "#4f46e5" };
const palette = ["#4f46e5", "#0d9488", "#d97706", "#db2777", "#2563eb", "#65a30d"];

export function contentWidth(doc: Pdf): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

function bottomLimit(doc: Pdf): number {
  return doc.page.height - doc.page.margins.bottom;
}

/** Starts a new page unless `height` still fits below the cursor. */
function ensureSpace(doc: Pdf, height: number): void {
  if (doc.y + height > bottomLimit(doc)) doc.addPage();
}

export function heading(doc: Pdf, text: string, size = 16): void {
  // Kept with what follows it: never alone at the foot of a page.
  ensureSpace(doc, size * 3 + 80);
  doc.moveDown(0.6);
  doc.fontSize(size).fillColor(colors.text).text(text, doc.page.margins.left, doc.y, { width: contentWidth(doc) });
  const y = doc.y + 2;
  doc.moveTo(doc.page.margins.left, y).lineTo(doc.page.margins.left + contentWidth(doc), y).lineWidth(0.5).strokeColor(colors.rule).stroke();
  doc.y = y + 6;
}

export function paragraph(doc: Pdf, text: string, options: { size?: number; color?: string } = {}): void {
  doc.fontSize(options.size ?? 10).fillColor(options.color ?? colors.text);
  ensureSpace(doc, doc.currentLineHeight(true) * 2);
  doc.text(text, doc.page.margins.left, doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.4);
}

/** Long cell texts are cut so no row can be taller than a page. */
export function clip(text: string | number | null | undefined, max = 300): string {
  if (text === null || text === undefined) return "—";
  const value = String(text);
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

export type TableColumn = { header: string; width: number; align?: "left" | "right" };

/**
 * A table that breaks across pages: when a row no longer fits, a new page begins and the
 * header row is drawn again above the rest. Rows arrive in batches (from keyset reads), so a
 * long table is never held whole.
 */
export class PdfTable {
  private readonly padding = 3;
  private readonly fontSize: number;
  private readonly x: number;

  constructor(private readonly doc: Pdf, private readonly columns: TableColumn[], options: { fontSize?: number } = {}) {
    this.fontSize = options.fontSize ?? 8;
    this.x = doc.page.margins.left;
    this.scale();
  }

  /** Column widths are shares of the page's content width. */
  private scale(): void {
    const total = this.columns.reduce((sum, c) => sum + c.width, 0);
    const available = contentWidth(this.doc);
    for (const column of this.columns) column.width = (column.width / total) * available;
  }

  private rowHeight(cells: string[]): number {
    this.doc.fontSize(this.fontSize);
    let height = 0;
    cells.forEach((cell, i) => {
      height = Math.max(height, this.doc.heightOfString(cell, { width: this.columns[i]!.width - 2 * this.padding }));
    });
    return height + 2 * this.padding;
  }

  private drawRow(cells: string[], y: number, height: number, isHeader: boolean): void {
    const doc = this.doc;
    const width = this.columns.reduce((sum, c) => sum + c.width, 0);
    if (isHeader) doc.rect(this.x, y, width, height).fillColor(colors.headerFill).fill();
    doc.fontSize(this.fontSize).fillColor(isHeader ? colors.muted : colors.text);
    let x = this.x;
    cells.forEach((cell, i) => {
      const column = this.columns[i]!;
      doc.text(cell, x + this.padding, y + this.padding, { width: column.width - 2 * this.padding, align: column.align ?? "left", lineBreak: true });
      x += column.width;
    });
    doc.moveTo(this.x, y + height).lineTo(this.x + width, y + height).lineWidth(0.4).strokeColor(colors.rule).stroke();
    doc.x = this.x;
    doc.y = y + height;
  }

  private header(): void {
    const cells = this.columns.map((c) => c.header);
    const height = this.rowHeight(cells);
    this.drawRow(cells, this.doc.y, height, true);
  }

  begin(): this {
    const headerHeight = this.rowHeight(this.columns.map((c) => c.header));
    ensureSpace(this.doc, headerHeight + 30);
    this.header();
    return this;
  }

  addRows(rows: string[][]): void {
    for (const cells of rows) {
      const height = this.rowHeight(cells);
      if (this.doc.y + height > bottomLimit(this.doc)) {
        this.doc.addPage();
        this.header();
      }
      this.drawRow(cells, this.doc.y, height, false);
    }
  }

  end(): void {
    this.doc.moveDown(0.8);
  }
}

export type ChartSeries = { name: string; points: { x: string | number; y: number }[] };

/** A bar chart (grouped by series) or a line chart, with axes, gridlines, labels and a legend. */
export function drawChart(doc: Pdf, chart: { title: string; type: "bar" | "line"; series: ChartSeries[] }, height = 170): void {
  const categories = [...new Set(chart.series.flatMap((s) => s.points.map((p) => String(p.x))))];
  if (categories.length === 0) return;
  ensureSpace(doc, height + 40);
  doc.fontSize(10).fillColor(colors.text).text(chart.title, doc.page.margins.left, doc.y, { width: contentWidth(doc) });
  const top = doc.y + 6;
  const left = doc.page.margins.left + 40;
  const width = contentWidth(doc) - 40;
  const plotHeight = height - 40;
  const values = chart.series.flatMap((s) => s.points.map((p) => p.y));
  const max = niceMax(Math.max(0, ...values));
  const min = Math.min(0, ...values);
  const span = max - min || 1;
  const yOf = (value: number) => top + plotHeight - ((value - min) / span) * plotHeight;

  doc.fontSize(7).fillColor(colors.muted);
  for (let i = 0; i <= 4; i++) {
    const value = min + (span * i) / 4;
    const y = yOf(value);
    doc.moveTo(left, y).lineTo(left + width, y).lineWidth(0.3).strokeColor(colors.rule).stroke();
    doc.text(formatTick(value), left - 40, y - 4, { width: 36, align: "right", lineBreak: false });
  }
  const slot = width / categories.length;
  if (chart.type === "bar") {
    const barWidth = Math.max(1, (slot * 0.7) / chart.series.length);
    chart.series.forEach((series, s) => {
      for (const point of series.points) {
        const c = categories.indexOf(String(point.x));
        const x = left + c * slot + slot * 0.15 + s * barWidth;
        const y0 = yOf(0);
        const y1 = yOf(point.y);
        doc.rect(x, Math.min(y0, y1), barWidth, Math.max(0.5, Math.abs(y0 - y1))).fillColor(palette[s % palette.length]!).fill();
      }
    });
  } else {
    chart.series.forEach((series, s) => {
      const color = palette[s % palette.length]!;
      series.points.forEach((point, i) => {
        const x = left + categories.indexOf(String(point.x)) * slot + slot / 2;
        if (i === 0) doc.moveTo(x, yOf(point.y));
        else doc.lineTo(x, yOf(point.y));
      });
      doc.lineWidth(1.2).strokeColor(color).stroke();
      for (const point of series.points) doc.circle(left + categories.indexOf(String(point.x)) * slot + slot / 2, yOf(point.y), 1.6).fillColor(color).fill();
    });
  }
  doc.moveTo(left, yOf(0)).lineTo(left + width, yOf(0)).lineWidth(0.6).strokeColor(colors.muted).stroke();
  // Category labels: every one when they fit, else every n-th.
  const every = Math.max(1, Math.ceil(categories.length / Math.floor(width / 40)));
  doc.fontSize(7).fillColor(colors.muted);
  categories.forEach((category, i) => {
    if (i % every) return;
    doc.text(clip(category, 14), left + i * slot - 10, top + plotHeight + 3, { width: Math.max(slot, 40) + 20, align: "center", lineBreak: false });
  });
  let legendX = left;
  const legendY = top + plotHeight + 16;
  chart.series.forEach((series, s) => {
    doc.rect(legendX, legendY + 1, 6, 6).fillColor(palette[s % palette.length]!).fill();
    doc.fillColor(colors.text).text(series.name, legendX + 9, legendY, { lineBreak: false });
    legendX += 14 + doc.widthOfString(series.name) + 10;
  });
  doc.x = doc.page.margins.left;
  doc.y = top + height;
}

/** Horizontal bars, one per label, each against its own scale (scores on 0–100, counts…). */
export function drawBars(doc: Pdf, title: string, bars: { label: string; value: number; max: number; note?: string }[]): void {
  if (bars.length === 0) return;
  const rowHeight = 16;
  ensureSpace(doc, 24 + Math.min(bars.length, 6) * rowHeight);
  doc.fontSize(10).fillColor(colors.text).text(title, doc.page.margins.left, doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.3);
  const labelWidth = 150;
  const left = doc.page.margins.left + labelWidth;
  const width = contentWidth(doc) - labelWidth - 90;
  for (const [i, bar] of bars.entries()) {
    ensureSpace(doc, rowHeight);
    const y = doc.y;
    doc.fontSize(8).fillColor(colors.text).text(clip(bar.label, 40), doc.page.margins.left, y + 3, { width: labelWidth - 6, lineBreak: false });
    doc.rect(left, y + 3, width, 9).fillColor(colors.headerFill).fill();
    const share = bar.max > 0 ? Math.max(0, Math.min(1, bar.value / bar.max)) : 0;
    if (share > 0) doc.rect(left, y + 3, width * share, 9).fillColor(palette[i % palette.length]!).fill();
    doc.fontSize(8).fillColor(colors.muted).text(bar.note ?? formatTick(bar.value), left + width + 6, y + 3, { width: 84, lineBreak: false });
    doc.x = doc.page.margins.left;
    doc.y = y + rowHeight;
  }
  doc.moveDown(0.6);
}

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const steps = [1, 2, 2.5, 5, 10];
  return (steps.find((s) => s * magnitude >= value) ?? 10) * magnitude;
}

function formatTick(value: number): string {
  if (Math.abs(value) >= 1000) return `${Math.round(value / 100) / 10}k`;
  return String(Math.round(value * 100) / 100);
}

/** "Page 3 of 41" at the foot of every page; needs the document made with `bufferPages`. */
export function numberPages(doc: Pdf, label: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.fontSize(7).fillColor(colors.muted);
    const y = doc.page.height - 30;
    doc.text(label, doc.page.margins.left, y, { width: contentWidth(doc) / 2, lineBreak: false });
    doc.text(`Page ${i + 1 - range.start} of ${range.count}`, doc.page.margins.left + contentWidth(doc) / 2, y, { width: contentWidth(doc) / 2, align: "right", lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
}
