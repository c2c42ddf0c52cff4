import type { Role } from "@/lib/generated/prisma/enums";

/** Who is acting: a dashboard user, a user holding an API JWT, or an API token. */
export type Principal = {
  kind: "user" | "api_token";
  id: string;
  label: string;
  role: Role;
  /** Tenants this principal may see; empty means all tenants. */
  tenantIds: string[];
  via: "session" | "jwt" | "api_token";
};
