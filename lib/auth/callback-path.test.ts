import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./callback-path";

describe("where sign-in sends a person afterwards", () => {
  it.each([
    ["/executions?agent=seo-audit#top", "/executions?agent=seo-audit#top"],
    ["/s/abc", "/s/abc"],
    ["/executions/../audit", "/audit"],
  ])("keeps the same-site path %s", (given, kept) => {
    expect(safeCallbackPath(given)).toBe(kept);
  });

  it.each([
    "//evil.example", "/\\evil.example", "/\\/evil.example", "/\t/evil.example", "/\n/evil.example", "/%09/evil.example".replace("%09", "\t"),
    "https://evil.example/", "javascript:alert(1)", "evil.example", "", "/\u0000", "///evil.example",
  ])("sends %j to the history instead of another site", (given) => {
    const target = safeCallbackPath(given);
    expect(target).toBe("/executions");
    expect(new URL(target, "https://runlog.example").origin).toBe("https://runlog.example");
  });
});
