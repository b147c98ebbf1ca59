// Reads a PDF back the way a person's viewer would, for tests: each page's text and the fonts
// its text is drawn with. pdfjs-dist is plain JavaScript, so `npm test` needs nothing from apt.
import { getDocument, OPS } from "pdfjs-dist/legacy/build/pdf.mjs";

export interface PdfContents {
  /** The text of each page, in order; a line break where the PDF ends a line. */
  pages: string[];
  /** The fonts text is drawn with, without the subset prefix ("WenQuanYiMicroHei", not "CZZZZZ+…"). */
  fonts: string[];
}

export async function readPdf(bytes: Uint8Array): Promise<PdfContents> {
  // pdfjs takes ownership of (and detaches) the buffer it is given, so it gets a copy.
  const pdf = await getDocument({ data: new Uint8Array(bytes), disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  try {
    const pages: string[] = [];
    const fonts = new Set<string>();
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      pages.push(content.items.map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : "") : "")).join(""));
      const operators = await page.getOperatorList();
      operators.fnArray.forEach((operator, index) => {
        if (operator !== OPS.setFont) return;
        const font = page.commonObjs.get(operators.argsArray[index][0] as string) as { name?: string };
        if (font.name) fonts.add(font.name.replace(/^[A-Z]{6}\+/, ""));
      });
    }
    return { pages, fonts: [...fonts] };
  } finally {
    await pdf.destroy();
  }
}
