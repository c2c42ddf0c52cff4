// What counts as a credential in audit inputs and log fields. Keys are matched by name, not by
// substring: "pass" (an M&V verdict) and "tokens_per_watt_est" are data, "password" and
// "access_token" are not. Values are also recognised by shape, whatever key carries them.

/** Key names compared after lower-casing and dropping "-", "_" and ".". */
const SECRET_NAMES = new Set([
  "password",
  "passwd",
  "passphrase",
  "pwd",
  "secret",
  "token",
  "authorization",
  "proxyauthorization",
  "cookie",
  "setcookie",
  "apikey",
  "xapikey",
  "credential",
  "credentials",
  "privatekey",
  "signature",
]);
/** Compound names ending so: current_password, client_secret, access_token, x-api-key, auth_secret. */
const SECRET_SUFFIXES = ["password", "passwd", "secret", "token", "apikey", "privatekey", "credentials", "hmackey"];

function normalise(key: string): string {
  return key.toLowerCase().replace(/[-_.]/g, "");
}

export function isSecretKey(key: string): boolean {
  const k = normalise(key);
  return SECRET_NAMES.has(k) || SECRET_SUFFIXES.some((s) => k.endsWith(s));
}

// API token secrets are "pib_" + 32 random bytes in base64url (lib/access/secrets.ts).
const API_TOKEN = /^pib_[A-Za-z0-9_-]{43}$/;
const JWT = /^eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*$/;
const BEARER = /^(bearer|basic)\s+\S+/i;
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
const URL_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)[^@/?#\s]+@/i;

/** A string value that is a credential by its shape alone. */
export function looksLikeSecret(value: string): boolean {
  return API_TOKEN.test(value) || JWT.test(value) || BEARER.test(value) || PRIVATE_KEY.test(value);
}

/** The value with secrets replaced: whole when it is one, only the password of a URL's user info. */
export function redactSecretValue(value: string): string {
  if (looksLikeSecret(value)) return "[redacted]";
  return URL_PASSWORD.test(value) ? value.replace(URL_PASSWORD, "$1[redacted]@") : value;
}

// The same shapes anywhere in free text (a library's console message, an error's stack).
const TEXT_SECRETS: [RegExp, string][] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, "[redacted]"],
  [/(?<![A-Za-z0-9_-])pib_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g, "[redacted]"],
  [/eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, "[redacted]"],
  [/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+/gi, "$1 [redacted]"],
  [/\b([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)[^@/?#\s]+@/gi, "$1[redacted]@"],
];

/** Free text with every credential-shaped part replaced (a whole value keeps `redactSecretValue`). */
export function redactSecretsInText(text: string): string {
  return TEXT_SECRETS.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}
