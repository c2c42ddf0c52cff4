// Whether a request came from another site. A cookie rides along on a cross-site link or image, so
// a GET that has an effect (an export writes an audit event in the victim's name) must not be
// honoured on the session cookie from another site; a Bearer token is never sent by a browser on
// its own and is unaffected.

function hostOf(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

/**
 * Fetch Metadata decides when the browser sent it (`cross-site` is refused; `same-origin`,
 * `same-site` and `none`, a typed URL or bookmark, are not). Without it, an `Origin` or else a
 * `Referer` naming another host than the request's is cross-site; neither present is not (older
 * clients, scripts).
 */
export function isCrossSite(headers: Headers): boolean {
  const site = headers.get("sec-fetch-site");
  if (site) return site === "cross-site";
  const host = headers.get("host");
  const origin = headers.get("origin");
  if (origin !== null) return hostOf(origin) === null || hostOf(origin) !== host;
  const referer = headers.get("referer");
  if (referer) return hostOf(referer) !== host;
  return false;
}
