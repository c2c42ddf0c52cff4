// Daily coverage of a version's series: rows per day against the rows the interval implies.
import "server-only";
import { versionRowsPerDay } from "./repo";

export type DailyCoverage = { series: string; days: { day: string; rows: number }[] };

export async function dailyCoverage(versionId: string): Promise<DailyCoverage[]> {
  const rows = await versionRowsPerDay(versionId);
  const bySeries = new Map<string, { day: string; rows: number }[]>();
  for (const r of rows) {
    const list = bySeries.get(r.series) ?? [];
    list.push({
      day: new Date(`${r.day.toISOString().slice(0, 10)}T00:00:00Z`).toISOString().slice(0, 10),
      rows: Number(r.rows),
    });
    bySeries.set(r.series, list);
  }
  return [...bySeries].map(([series, days]) => ({ series, days }));
}
