// The scope and period every dashboard read takes (lib/kpi/scope.ts builds them from the filters;
// the queries in lib/kpi/queries/ read through them).

export type Scope = {
  tenantIds: string[] | undefined;
  siteId?: string;
  facilityId?: string;
  clusterId?: string;
  zoneId?: string;
  version?: string;
  source: "all" | "csv" | "mass";
};

export type Period = { from: Date; to: Date };
