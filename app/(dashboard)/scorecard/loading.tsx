import { PageSkeleton, SkeletonCard, SkeletonChart, SkeletonTable } from "@/components/ui/skeleton";

// The scorecard while every verification is read and compared.
export default function ScorecardLoading() {
  return (
    <PageSkeleton title="Scorecard: predicted vs verified">
      <SkeletonCard className="mb-4" />
      <SkeletonCard title="Summary" className="mb-4" />
      <div className="grid gap-4 xl:grid-cols-2">
        <SkeletonCard title="Per engine version and category">
          <SkeletonTable rows={4} columns={6} />
        </SkeletonCard>
        <SkeletonCard title="Calibration">
          <SkeletonChart />
        </SkeletonCard>
      </div>
      <SkeletonCard title="Biggest misses (verified − predicted)" className="mt-4">
        <SkeletonTable rows={4} columns={7} />
      </SkeletonCard>
    </PageSkeleton>
  );
}
