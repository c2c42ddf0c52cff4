import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { requireRole } from "@/lib/auth/require-user";
import { reportExists } from "@/lib/mv/repo";

// The report's access check and 404, ahead of its loading.tsx: a layout renders outside its own
// segment's loading boundary, so a refusal here still sets the response's status (403, 404).
// Thrown from the page, behind the skeleton already sent, it could only answer 200. The page
// checks again, as every page does.
export default async function ReportLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ id: string }>;
}) {
  const principal = await requireRole("mv.read");
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(id) || !(await reportExists(principal, id))) notFound();
  return children;
}
