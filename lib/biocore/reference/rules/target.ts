import type { EngineInput } from "../types";

/** "<site>/<facility>/<zone>/<leaf>" (or "<cluster>" for workload), skipping the absent levels. */
export function targetOf(assets: EngineInput["assets"], leaf: string, scope: "zone" | "cluster" = "zone"): string {
  const area = scope === "zone" ? assets.zoneId : assets.clusterId;
  return [assets.siteId, assets.facilityId, area, leaf].filter(Boolean).join("/");
}

/** CO2e (kg) of an energy change (kWh) at the grid intensity (g/kWh): 0 when the intensity is unknown. */
export function co2eKg(energyKwh: number, carbonGPerKwh: number | undefined): number {
  return carbonGPerKwh === undefined ? 0 : (energyKwh * carbonGPerKwh) / 1000;
}
