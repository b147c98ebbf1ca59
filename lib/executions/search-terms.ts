/**
 * A text's search terms, made in JavaScript where the engine writes (a batch's text is tens of
 * kilobytes, and tokenizing it with regular expressions inside the database, above all inside
 * PGlite's WebAssembly, cost more than the rest of the batch). The same rule as the database's
 * `runlog_search_terms` (migration 0015), which builds terms of runs written in bulk and, for
 * what is asked, `runlog_search_query`: lower case; accents dropped from Latin, Greek and
 * Cyrillic letters; words are runs of anything but ASCII punctuation, spaces and common
 * punctuation blocks, at most 64 characters; Chinese, Japanese and Korean text as overlapping
 * pairs of characters and its last character alone.
 */
const cjkClass = "\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uac00-\\ud7af\\uf900-\\ufaff";
const gapClass = "\\u0001-\\u002f\\u003a-\\u0040\\u005b-\\u0060\\u007b-\\u00bf\\u00d7\\u00f7\\u2000-\\u206f\\u3000-\\u303f\\uff00-\\uff0f\\uff1a-\\uff20\\uff3b-\\uff40\\uff5b-\\uff65";
const tokens = new RegExp(`[${cjkClass}]+|[^${gapClass}${cjkClass}]+`, "gu");
const isCjk = new RegExp(`^[${cjkClass}]`, "u");

/** The letters the database's `runlog_search_fold` translates (the same ranges, the same rule). */
const folded = new Map<string, string>();
for (const [first, last] of [[0xc0, 0x24f], [0x370, 0x3ff], [0x400, 0x4ff], [0x1e00, 0x1eff]] as const) {
  for (let code = first; code <= last; code++) {
    const char = String.fromCodePoint(code);
    if (!/\p{L}/u.test(char)) continue;
    const plain = Array.from(char.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase());
    if (plain.length === 1 && plain[0] !== char) folded.set(char, plain[0]!);
  }
}

function fold(text: string): string {
  let out = "";
  for (const char of text) out += folded.get(char) ?? (char < "\u0080" ? char.toLowerCase() : char);
  return out;
}

/** The distinct search terms of `text`, space-separated (no term holds a space). */
export function searchTermsOf(text: string): string {
  const terms = new Set<string>();
  for (const [token] of fold(text).matchAll(tokens)) {
    const chars = Array.from(token);
    if (isCjk.test(token)) for (let at = 0; at < chars.length; at++) terms.add(chars.slice(at, at + 2).join(""));
    else if (chars.length <= 64) terms.add(token);
  }
  return [...terms].join(" ");
}

/**
 * The first term a search word asks for, when it asks for more than one (CJK text is asked as
 * its pairs of characters, "sku-4821" as two words), else null: its index lookup, the rest
 * checked per row (lib/executions/search.ts).
 */
export function firstOfSeveralTerms(word: string): string | null {
  const found = [...fold(word).matchAll(tokens)].map(([token]) => token);
  const first = found[0];
  if (!first) return null;
  const chars = Array.from(first);
  if (isCjk.test(first)) return found.length > 1 || chars.length > 2 ? chars.slice(0, 2).join("") : null;
  return found.length > 1 ? first : null;
}
