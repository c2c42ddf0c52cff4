import { PageSkeleton, SkeletonCard, SkeletonChart, SkeletonTable } from "@/components/ui/skeleton";

// Before / after while the two periods are compared.
export default function BeforeAfterLoading() {
  return (
    <PageSkeleton title="Before / after">
      <SkeletonCard className="mb-4" />
      <SkeletonCard className="mb-4">
        <SkeletonTable rows={8} columns={5} />
      </SkeletonCard>
      <div className="grid gap-4 xl:grid-cols-2">
        {["Facility power", "PUE"].map((title) => (
          <SkeletonCard key={title} title={title}>
            <SkeletonChart />
          </SkeletonCard>
        ))}
      </div>
    </PageSkeleton>
  );
}
