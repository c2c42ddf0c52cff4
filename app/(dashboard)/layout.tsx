import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { requireUser } from "@/lib/auth/require-user";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const principal = await requireUser();
  return <AppShell principal={principal}>{children}</AppShell>;
}
