"use client";

import { signOut } from "next-auth/react";
import { Button } from "@/components/ui/button";

export function SignOutButton({
  variant = "ghost",
  label = "Sign out",
}: {
  variant?: "ghost" | "primary";
  label?: string;
}) {
  return (
    <Button
      type="button"
      variant={variant}
      onClick={() => void signOut({ callbackUrl: "/login" })}
      data-testid="sign-out"
    >
      {label}
    </Button>
  );
}
