/** The colours of a chart's series, in order; each has at least 3:1 contrast on white. */
export const seriesColors = ["#4f46e5", "#059669", "#b45309", "#e11d48", "#0284c7"];
