// A dashboard session as a browser gets it: next-auth's CSRF token, then its credentials callback.
// Plain fetch and no test-runner import, so integration tests, the reliability runs and the benches
// all sign in the same way.

const COOKIE = "pib.session";

/** Signs in at `baseUrl` and returns the `Cookie` header value of the session (`headers` go on both calls). */
export async function signIn(
  baseUrl: string,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<string> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`, { headers });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookies = csrf.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const login = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded", Cookie: cookies },
    body: new URLSearchParams({ email, password, csrfToken, json: "true" }),
  });
  const session = login.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .find((c) => c.startsWith(`${COOKIE}=`));
  if (!session) throw new Error(`no session cookie for ${email} (${login.status})`);
  return session;
}
