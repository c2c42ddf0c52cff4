import "next-auth/jwt";

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    role?: string;
    loginAt?: number;
    /** The user_session row of this sign-in. */
    sid?: string;
  }
}
