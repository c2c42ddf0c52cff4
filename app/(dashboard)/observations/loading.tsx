import { PageSkeleton, SkeletonCard, SkeletonTable } from "@/components/ui/skeleton";

// The observations table while its page and count are read.
export default function ObservationsLoading() {
  return (
    <PageSkeleton title="Observations">
      <SkeletonCard className="mb-4" />
      <SkeletonCard>
        <SkeletonTable rows={12} columns={8} />
      </SkeletonCard>
    </PageSkeleton>
  );
}
