import "server-only";
import type { Tx } from "@/lib/db";
import { db } from "@/lib/db";
import type { Role } from "@/lib/generated/prisma/enums";

// Never select password hashes unless verifying a password.
export const publicUserSelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  tenantIds: true,
  disabledAt: true,
  lastLoginAt: true,
  createdAt: true,
  credentialsAt: true,
} as const;

export type PublicUser = {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  tenantIds: string[];
  disabledAt: Date | null;
  lastLoginAt: Date | null;
  createdAt: Date;
  credentialsAt: Date;
};

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function getUserForLogin(email: string) {
  return db().user.findUnique({
    where: { email: normalizeEmail(email) },
    select: { ...publicUserSelect, passwordHash: true },
  });
}

export function getUserById(id: string): Promise<PublicUser | null> {
  return db().user.findUnique({ where: { id }, select: publicUserSelect });
}

export function listUsers(): Promise<PublicUser[]> {
  return db().user.findMany({ select: publicUserSelect, orderBy: { createdAt: "asc" } });
}

export function countUsers(): Promise<number> {
  return db().user.count();
}

export function insertUser(
  tx: Tx,
  data: { email: string; name?: string | null; passwordHash: string; role: Role; tenantIds: string[] },
): Promise<PublicUser> {
  return tx.user.create({ data: { ...data, email: normalizeEmail(data.email) }, select: publicUserSelect });
}

export function updateUser(
  tx: Tx,
  id: string,
  data: Partial<{ role: Role; tenantIds: string[]; disabledAt: Date | null; passwordHash: string; credentialsAt: Date; name: string | null }>,
): Promise<PublicUser> {
  return tx.user.update({ where: { id }, data, select: publicUserSelect });
}

export function touchLastLogin(id: string): Promise<unknown> {
  return db().user.update({ where: { id }, data: { lastLoginAt: new Date() }, select: { id: true } });
}

export function countActiveAdmins(tx: Tx): Promise<number> {
  return tx.user.count({ where: { role: "admin", disabledAt: null } });
}
