/** Counts as people write them in notices and emails: "1 item", "1,200 credits". */
const numberFormat = new Intl.NumberFormat("en-US");

export function formatCount(n: number, singular: string, plural = `${singular}s`): string {
  return `${numberFormat.format(n)} ${n === 1 ? singular : plural}`;
}
