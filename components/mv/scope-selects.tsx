"use client";

import { useState } from "react";
import { Label, Select } from "@/components/ui/field";

/** One site / facility / cluster / zone combination the tenant's data holds. */
export type ScopeOption = {
  tenantId: string;
  siteId: string;
  facilityId: string | null;
  clusterId: string | null;
  zoneId: string | null;
};

type Key = "siteId" | "facilityId" | "clusterId" | "zoneId";
const LEVELS: [Key, string, string][] = [
  ["siteId", "site_id", "Site"],
  ["facilityId", "facility_id", "Facility"],
  ["clusterId", "cluster_id", "Cluster"],
  ["zoneId", "zone_id", "Zone"],
];

/**
 * The study's scope as four cascading selects filled from the data: a level offers only the values
 * present under the levels chosen before it (a cluster of the chosen site); choosing a level clears
 * the ones after it that no longer exist. A value given by a link but absent from the data stays
 * selectable, marked, so the server's refusal names it.
 */
export function ScopeSelects({
  tenantId,
  options,
  defaults,
}: {
  tenantId: string;
  options: ScopeOption[];
  defaults: Record<Key, string>;
}) {
  const [chosen, setChosen] = useState<Record<Key, string>>(defaults);
  const rowsUpTo = (level: number) =>
    options.filter(
      (o) => o.tenantId === tenantId && LEVELS.slice(0, level).every(([k]) => !chosen[k] || o[k] === chosen[k]),
    );
  const choose = (level: number, value: string) => {
    const next = { ...chosen, [LEVELS[level]![0]]: value };
    // Later levels keep their value only while the data still has it under the new choice.
    for (let l = level + 1; l < LEVELS.length; l++) {
      const [key] = LEVELS[l]!;
      const still = options.some(
        (o) => o.tenantId === tenantId && LEVELS.slice(0, l + 1).every(([k]) => !next[k] || o[k] === next[k]),
      );
      if (!still) next[key] = "";
    }
    setChosen(next);
  };
  return (
    <>
      {LEVELS.map(([key, name, label], level) => {
        const values = [...new Set(rowsUpTo(level).flatMap((o) => (o[key] ? [o[key]] : [])))].sort();
        const current = chosen[key];
        const missing = current && !values.includes(current);
        return (
          <div key={key} className="flex flex-col">
            <Label htmlFor={name}>{label}</Label>
            <Select
              id={name}
              name={name}
              value={current}
              onChange={(e) => choose(level, e.target.value)}
              data-testid={`scope-${name}`}
            >
              <option value="">{key === "siteId" ? "all sites" : "all"}</option>
              {missing ? <option value={current}>{current} (not in the data)</option> : null}
              {values.map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </Select>
          </div>
        );
      })}
    </>
  );
}
