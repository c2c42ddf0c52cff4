import type { Metadata } from "next";
import { cookies } from "next/headers";
import type { ReactNode } from "react";
import { THEME_COOKIE, themeClass, themeOf } from "@/components/shell/theme";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Pilot-in-a-Box", template: "%s · Pilot-in-a-Box" },
  description: "Shadow-mode energy optimization pilot for data centres",
  robots: { index: false, follow: false },
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The theme is rendered on the server from its cookie: the first paint has the right colours.
  const theme = themeOf((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" className={themeClass(theme)}>
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
