import { PageSkeleton, SkeletonCard, SkeletonChart, SkeletonStats } from "@/components/ui/skeleton";

// The overview while its KPIs and trends are computed (the route group keeps this skeleton to the
// overview: a loading.tsx beside the dashboard's layout would stand in for every page).
export default function OverviewLoading() {
  return (
    <PageSkeleton title="Overview">
      <SkeletonCard className="mb-4" />
      <SkeletonStats count={8} />
      <div className="grid gap-4 xl:grid-cols-2">
        {["Facility vs IT power", "PUE", "Rack inlet p95", "Energy cost", "Grid carbon intensity"].map((title) => (
          <SkeletonCard key={title} title={title}>
            <SkeletonChart />
          </SkeletonCard>
        ))}
      </div>
    </PageSkeleton>
  );
}
