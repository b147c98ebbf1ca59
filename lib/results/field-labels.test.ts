import { describe, expect, it } from "vitest";
import { fieldLabel, formatFieldValue } from "./field-labels";

describe("recommendation fields as people read them", () => {
  it("names image fields by their position from 1, and known fields in words", () => {
    expect(fieldLabel("images.5.bytes")).toBe("Image 6 size");
    expect(fieldLabel("images.0.alt")).toBe("Image 1 alt text");
    expect(fieldLabel("meta_description")).toBe("Meta description");
    expect(fieldLabel("title")).toBe("Title");
    expect(fieldLabel("seo_score")).toBe("Seo score");
  });

  it("shows sizes in KB and MB, and leaves text alone", () => {
    expect(formatFieldValue("images.5.bytes", "1536524")).toBe("1.5 MB");
    expect(formatFieldValue("images.5.bytes", "250000")).toBe("250 KB");
    expect(formatFieldValue("images.5.bytes", "2000000")).toBe("2 MB");
    expect(formatFieldValue("title", "1536524")).toBe("1536524");
    expect(formatFieldValue("images.1.alt", null)).toBeNull();
  });
});
