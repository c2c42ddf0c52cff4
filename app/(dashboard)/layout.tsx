import { cookies } from "next/headers";
import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { THEME_COOKIE, themeOf } from "@/components/shell/theme";
import { requireUser } from "@/lib/auth/require-user";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const principal = await requireUser();
  const theme = themeOf((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <AppShell principal={principal} theme={theme}>
      {children}
    </AppShell>
  );
}
