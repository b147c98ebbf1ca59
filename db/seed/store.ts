import type { PageImage, ProductImage } from "@/db/schema";
import { dayMs, type SeededRandom } from "./random";

/** The demo store's catalogue: realistic, and imperfect in the ways agents look for. */

export type SeedProduct = {
  id: string;
  sku: string;
  handle: string;
  title: string;
  description: string;
  metaDescription: string | null;
  collection: string;
  vendor: string;
  priceCents: number;
  attributes: Record<string, string>;
  images: ProductImage[];
};

export type SeedPage = {
  id: string;
  path: string;
  title: string;
  metaDescription: string | null;
  headings: { level: number; text: string }[];
  bodyText: string;
  images: PageImage[];
  scriptCount: number;
  scriptBytes: number;
  htmlBytes: number;
};

type Catalogue = { vendors: string[]; collections: Record<string, { nouns: string[]; adjectives: string[]; materials: string[] }> };

export const acmeCatalogue: Catalogue = {
  vendors: ["Northpeak", "Trailwise", "Summit & Co", "Fjordline", "Ridgeback", "Basecamp Supply"],
  collections: {
    Jackets: { nouns: ["Shell Jacket", "Down Parka", "Rain Jacket", "Fleece Jacket", "Insulated Vest"], adjectives: ["Alpine", "Storm", "Ridge", "Glacier", "Trail"], materials: ["Gore-Tex", "recycled nylon", "800-fill down", "Polartec fleece"] },
    Footwear: { nouns: ["Hiking Boot", "Trail Runner", "Approach Shoe", "Camp Slipper", "Winter Boot"], adjectives: ["Granite", "Switchback", "Talus", "Canyon", "Tundra"], materials: ["full-grain leather", "suede and mesh", "Vibram rubber", "waterproof membrane"] },
    Backpacks: { nouns: ["Daypack", "Trekking Pack", "Hydration Pack", "Travel Duffel", "Summit Pack"], adjectives: ["Pathfinder", "Ascent", "Nomad", "Cirque", "Traverse"], materials: ["ripstop nylon", "Dyneema", "recycled polyester", "waxed canvas"] },
    Tents: { nouns: ["Backpacking Tent", "Family Tent", "Bivy Shelter", "Tarp", "Ultralight Tent"], adjectives: ["Haven", "Meadow", "Outpost", "Hideaway", "Skyline"], materials: ["silnylon", "polyester taffeta", "aluminium poles", "DCF"] },
    "Sleeping bags": { nouns: ["Sleeping Bag", "Quilt", "Sleeping Pad", "Bag Liner", "Camp Pillow"], adjectives: ["Ember", "Aurora", "Drift", "Polar", "Solstice"], materials: ["hydrophobic down", "synthetic fill", "merino blend", "closed-cell foam"] },
    "Base layers": { nouns: ["Crew Top", "Long Johns", "Hoodie", "Tank", "Zip Neck"], adjectives: ["Merino", "Thermal", "Featherweight", "Everyday", "Expedition"], materials: ["merino wool", "Tencel blend", "recycled polyester", "bamboo viscose"] },
    Accessories: { nouns: ["Beanie", "Trekking Poles", "Headlamp", "Water Bottle", "Gloves"], adjectives: ["Basecamp", "Night Owl", "Crest", "Wayfarer", "Frost"], materials: ["stainless steel", "carbon fibre", "knit acrylic", "BPA-free Tritan"] },
    Climbing: { nouns: ["Harness", "Chalk Bag", "Climbing Shoe", "Helmet", "Quickdraw Set"], adjectives: ["Crux", "Overhang", "Boulder", "Flash", "Redpoint"], materials: ["nylon webbing", "EPS foam", "sticky rubber", "anodised aluminium"] },
  },
};

export const globexCatalogue: Catalogue = {
  vendors: ["Globex Home", "Hearth & Oak", "Kitchenly"],
  collections: {
    Kitchen: { nouns: ["Chef's Knife", "Dutch Oven", "Cutting Board", "Pour-Over Kettle"], adjectives: ["Classic", "Artisan", "Pro", "Everyday"], materials: ["carbon steel", "enamelled cast iron", "acacia wood", "borosilicate glass"] },
    Living: { nouns: ["Throw Blanket", "Floor Lamp", "Side Table", "Planter"], adjectives: ["Nordic", "Linen", "Terracotta", "Modern"], materials: ["organic cotton", "brass", "oak veneer", "ceramic"] },
    Bath: { nouns: ["Bath Towel", "Shower Caddy", "Bath Mat"], adjectives: ["Spa", "Waffle", "Bamboo"], materials: ["Turkish cotton", "bamboo", "stainless steel"] },
  },
};

const colors = ["Black", "Slate", "Forest", "Ochre", "Navy", "Sand", "Rust", "Glacier Blue"];
const descriptionSentences = [
  "Built from {material} for days that start before sunrise and end after dark.",
  "The {noun} keeps its shape and performance season after season.",
  "Reinforced stress points and taped seams mean fewer repairs on long trips.",
  "A relaxed fit leaves room for layers without adding bulk.",
  "Weighs just {weight}, so it earns its place in a packed bag.",
  "Every piece is inspected by hand before it leaves our workshop.",
  "Pairs well with the rest of the {collection} range.",
  "Designed with feedback from guides who use it more than a hundred days a year.",
  "Easy to care for: machine wash cold, line dry.",
  "Backed by our two-year warranty and free repairs.",
];

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/(^-|-$)/g, "");
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? "");
}

export function generateProducts(rng: SeededRandom, catalogue: Catalogue, count: number, skuPrefix: string): SeedProduct[] {
  const products: SeedProduct[] = [];
  const collectionNames = Object.keys(catalogue.collections);
  for (let i = 0; i < count; i++) {
    const collection = collectionNames[i % collectionNames.length]!;
    const parts = catalogue.collections[collection]!;
    const vendor = rng.pick(catalogue.vendors);
    const noun = rng.pick(parts.nouns);
    const material = rng.pick(parts.materials);
    const color = rng.pick(colors);
    const weight = `${rng.int(90, 2400)} g`;
    let title = `${vendor} ${rng.pick(parts.adjectives)} ${noun}`;
    if (rng.chance(0.1)) title += ` – Lightweight, Durable ${material} ${noun} for Hiking, Travel and Everyday Adventures`;
    else if (products.length > 10 && rng.chance(0.08)) title = rng.pick(products).title; // duplicate titles happen
    const values = { material, noun: noun.toLowerCase(), weight, collection: collection.toLowerCase() };
    const kind = rng.weighted([["missing", 20], ["thin", 15], ["good", 65]] as const);
    const description =
      kind === "missing" ? "" :
      kind === "thin" ? fill(rng.pick(descriptionSentences), values) :
      rng.sample(descriptionSentences, rng.int(4, 7)).map((s) => fill(s, values)).join(" ");
    const hasMeta = description.length > 0 && rng.chance(0.65);
    const imageCount = rng.int(1, 4);
    const isMissingAlt = rng.chance(0.27);
    const images: ProductImage[] = Array.from({ length: imageCount }, (_, n) => ({
      src: `/images/${skuPrefix.toLowerCase()}-${i + 1}-${n + 1}.jpg`,
      alt: isMissingAlt && n === imageCount - 1 ? null : `${title} in ${color.toLowerCase()}${n ? `, view ${n + 1}` : ""}`,
      bytes: rng.chance(0.12) ? rng.int(600_000, 2_600_000) : rng.int(60_000, 420_000),
    }));
    // Some products arrive from a bulk import with no details at all: nothing to write copy from.
    const isBareImport = kind !== "good" && i % 10 === 3;
    const fit = rng.pick(["regular", "relaxed", "slim"]);
    products.push({
      id: rng.uuid(),
      sku: `${skuPrefix}-${String(i + 1).padStart(4, "0")}`,
      handle: `${slug(title).slice(0, 60)}-${i + 1}`,
      title,
      description,
      metaDescription: hasMeta ? description.slice(0, rng.int(60, 150)).trim() : null,
      collection,
      vendor,
      priceCents: rng.int(8, 450) * 100 - rng.pick([0, 1, 5]),
      attributes: isBareImport ? {} : { material, color, weight, fit },
      images,
    });
  }
  return products;
}

const bodySentences = [
  "Our team tests every product in the mountains before it reaches the shop.",
  "Free shipping applies to all orders over 75 dollars within the country.",
  "Returns are accepted within 60 days, worn or not, as long as the item is clean.",
  "We repair rather than replace whenever we can, and we cover the cost in the first two years.",
  "Sizing runs true; if you are between sizes and layer heavily, choose the larger one.",
  "This guide walks through choosing the right layers for shoulder-season hiking.",
  "Packing light starts with knowing which pieces can do two jobs.",
  "Waterproof is not the same as breathable, and the difference matters on steep climbs.",
  "Stores in five cities host free workshops on navigation and trip planning.",
  "Most orders leave our warehouse within one business day.",
  "Recycled materials now make up more than half of our range.",
  "Care labels tell you the minimum; a little re-proofing each season adds years of life.",
];

export function generatePages(rng: SeededRandom, collections: string[], blogPosts: number, brand: string): SeedPage[] {
  const topics = ["layering for shoulder season", "choosing a first tent", "breaking in hiking boots", "packing for a hut trip", "caring for down", "trail running in the rain", "winter camping basics", "what to bring on a day hike", "planning a thru-hike", "camp kitchen essentials", "reading a topographic map", "buying a climbing harness"];
  const specs: { path: string; title: string }[] = [
    { path: "/", title: `${brand} | Gear for the outdoors` },
    ...collections.map((c) => ({ path: `/collections/${slug(c)}`, title: `${c} | ${brand}` })),
    ...["About us", "Shipping", "Returns", "FAQ", "Contact", "Size guide", "Sustainability", "Warranty and repairs", "Store locator", "Gift cards"].map((t) => ({ path: `/pages/${slug(t)}`, title: t })),
    ...Array.from({ length: blogPosts }, (_, n) => {
      const topic = topics[n % topics.length]!;
      const title = n < topics.length ? `A guide to ${topic}` : `A guide to ${topic}, part ${Math.floor(n / topics.length) + 1}`;
      return { path: `/blogs/journal/${slug(title)}`, title };
    }),
  ];
  return specs.map(({ path, title }) => {
    const words = rng.chance(0.2) ? rng.int(40, 140) : rng.int(300, 1200);
    const sentences: string[] = [];
    while (sentences.join(" ").split(" ").length < words) sentences.push(rng.pick(bodySentences));
    const bodyText = sentences.join(" ");
    const metaKind = rng.weighted([["missing", 20], ["short", 15], ["long", 12], ["good", 53]] as const);
    const metaDescription =
      metaKind === "missing" ? null :
      metaKind === "short" ? title :
      metaKind === "long" ? `${bodyText.slice(0, 230)}…` :
      bodyText.slice(0, rng.int(110, 155)).trim();
    const headingKind = rng.weighted([["none", 12], ["double", 8], ["good", 80]] as const);
    const headings = [
      ...(headingKind === "none" ? [] : [{ level: 1, text: title }]),
      ...(headingKind === "double" ? [{ level: 1, text: `${title} — overview` }] : []),
      ...Array.from({ length: rng.int(0, 4) }, (_, n) => ({ level: 2, text: `Section ${n + 1}` })),
    ];
    const images = Array.from({ length: rng.int(0, 6) }, (_, n) => ({
      src: `/images${path === "/" ? "/home" : path}-${n + 1}.jpg`,
      alt: rng.chance(0.25) ? null : `${title}, illustration ${n + 1}`,
      bytes: rng.chance(0.15) ? rng.int(700_000, 3_200_000) : rng.int(40_000, 380_000),
    }));
    const scriptCount = rng.int(3, 28);
    const htmlBytes = rng.int(28_000, 260_000);
    return {
      id: rng.uuid(),
      path,
      title: rng.chance(0.08) ? `${title} – ${brand} – Outdoor clothing, footwear, tents and climbing gear since 1998` : title,
      metaDescription,
      headings,
      bodyText,
      images,
      scriptCount,
      scriptBytes: scriptCount * rng.int(8_000, 60_000),
      // An unpublished page answers with no HTML: the performance audit cannot measure it.
      htmlBytes: path === "/pages/store-locator" ? 0 : htmlBytes,
    };
  });
}

type SeedOrder = { id: string; placedAt: Date; totalCents: number; itemCount: number; channel: string };
export type SeedTrafficDay = { day: string; sessions: number; pageviews: number; conversions: number; bounceRate: number };

/** Orders and daily traffic: weekly rhythm, steady growth and a holiday peak. */
export function generateSales(rng: SeededRandom, now: Date, days: number, baseOrdersPerDay: number) {
  const orders: SeedOrder[] = [];
  const traffic: SeedTrafficDay[] = [];
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  for (let d = days; d >= 1; d--) {
    const dayStart = today - d * dayMs;
    const date = new Date(dayStart);
    const weekday = date.getUTCDay();
    const month = date.getUTCMonth();
    const growth = 1 + 0.5 * ((days - d) / days);
    const weekly = weekday === 0 || weekday === 6 ? 1.25 : weekday === 1 ? 0.85 : 1;
    const holiday = month === 10 && date.getUTCDate() > 20 ? 1.9 : month === 11 && date.getUTCDate() < 24 ? 1.6 : 1;
    const expected = baseOrdersPerDay * growth * weekly * holiday;
    const count = Math.max(0, Math.round(expected * (0.8 + rng.next() * 0.4)));
    for (let n = 0; n < count; n++) {
      orders.push({
        id: rng.uuid(),
        placedAt: new Date(dayStart + rng.int(0, dayMs - 1)),
        totalCents: rng.int(18, 420) * 100 + rng.int(0, 99),
        itemCount: rng.weighted([[1, 50], [2, 28], [3, 14], [4, 6], [5, 2]] as const),
        channel: rng.weighted([["online", 60], ["social", 15], ["email", 15], ["marketplace", 10]] as const),
      });
    }
    const conversionRate = 0.018 + rng.next() * 0.012;
    const sessions = Math.max(count, Math.round(count / conversionRate));
    traffic.push({
      day: date.toISOString().slice(0, 10),
      sessions,
      pageviews: Math.round(sessions * (2.4 + rng.next() * 1.6)),
      conversions: count,
      bounceRate: Math.round((0.32 + rng.next() * 0.22) * 1000) / 1000,
    });
  }
  return { orders, traffic };
}
