// The dashboard's pages, read from the file tree: `app/(dashboard)/mv/studies/[id]/page.tsx` is the
// URL path `/mv/studies/[id]` (route groups in parentheses are not part of the URL).
import { readdirSync } from "node:fs";

export function declaredPages(): string[] {
  return readdirSync("app", { recursive: true, encoding: "utf8" })
    .filter((file) => file === "page.tsx" || file.endsWith("/page.tsx"))
    .map(
      (file) =>
        `/${file
          .split("/")
          .slice(0, -1)
          .filter((s) => !/^\(.*\)$/.test(s))
          .join("/")}`,
    )
    .sort();
}
