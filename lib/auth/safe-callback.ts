// Where to send a browser after sign-in. A string check ("starts with / but not //") is not enough:
// browsers read `/\host`, `/<tab>/host` and `/./\host`-style paths as another host, because the URL
// parser turns backslashes into slashes and drops tabs and newlines. So the value is parsed the way
// a browser parses it, against an origin nothing can share, and only a path on that origin is kept.
// No "server-only": the login form (a client component) uses it too.
const DUMMY_ORIGIN = "http://pib.invalid";

/** A same-site path (path, query and fragment) for a `callbackUrl`, or "/" for anything else. */
export function safeCallbackPath(raw: unknown): string {
  if (typeof raw !== "string" || !raw.startsWith("/") || raw.startsWith("//")) return "/";
  let url: URL;
  try {
    url = new URL(raw, DUMMY_ORIGIN);
  } catch {
    return "/";
  }
  if (url.origin !== DUMMY_ORIGIN) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Dot segments can leave a path that begins with two slashes (`/.//host` → `//host`), which a
  // browser would again read as another host.
  if (!path.startsWith("/") || path.startsWith("//")) return "/";
  return path;
}
