import { PageSkeleton, SkeletonCard, SkeletonChart, SkeletonStats, SkeletonTable } from "@/components/ui/skeleton";

// An M&V report while its stored results are read (the study's name, part of the heading, comes
// with them).
export default function MvReportLoading() {
  return (
    <PageSkeleton title="M&V report">
      <SkeletonStats count={4} />
      <div className="grid gap-4 xl:grid-cols-2">
        <SkeletonCard title="Fit statistics and acceptance">
          <SkeletonTable rows={6} columns={3} />
        </SkeletonCard>
        <SkeletonCard title="Specification (this revision)" />
      </div>
      <div className="mt-4 grid gap-4 xl:grid-cols-2">
        {["Baseline: model fit vs actual", "Reporting: adjusted baseline vs actual"].map((title) => (
          <SkeletonCard key={title} title={title}>
            <SkeletonChart />
          </SkeletonCard>
        ))}
      </div>
    </PageSkeleton>
  );
}
