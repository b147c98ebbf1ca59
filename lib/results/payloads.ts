import { z } from "zod";

/**
 * The shapes of `execution_results.payload`, one per result kind. Agents write them, the
 * details page, exports and compare read them; both sides parse with these schemas.
 */
export const metricSchema = z.object({
  key: z.string(),
  label: z.string(),
  value: z.number(),
  unit: z.string().optional(),
  scale: z.object({ min: z.number(), max: z.number() }),
  isHigherBetter: z.boolean(),
  meaning: z.string(),
  previousValue: z.number().nullable().optional(),
});

export const scoresPayload = z.object({ metrics: z.array(metricSchema) });

export const reportPayload = z.object({
  summary: z.string(),
  tables: z.array(z.object({ title: z.string(), columns: z.array(z.string()), rows: z.array(z.array(z.union([z.string(), z.number()]))) })),
  charts: z.array(
    z.object({
      title: z.string(),
      type: z.enum(["bar", "line"]),
      series: z.array(z.object({ name: z.string(), points: z.array(z.object({ x: z.union([z.string(), z.number()]), y: z.number() })) })),
    }),
  ),
});

/** Recommendations, generated content and action items keep their rows in their own tables; this is their summary. */
export const summaryPayload = z.object({ count: z.number().int(), summary: z.string() });

export type Metric = z.infer<typeof metricSchema>;
export type ReportPayload = z.infer<typeof reportPayload>;
export type SummaryPayload = z.infer<typeof summaryPayload>;
