// Secret-looking values: the 0.3.9 state file holds the launch environment and an argv may carry tokens; nothing
// that looks secret is ever shown (Services view tooltips, the server's inlay hints). Pure.

/** What replaces a secret-looking value. Fixed, so it never reveals a length. */
export const MASKED = '••••••';

/** Words that make a key (environment variable, flag, annotation) name a secret. */
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'pass',
  'pwd',
  'secret',
  'secrets',
  'token',
  'tokens',
  'apikey',
  'key',
  'keys',
  'private',
  'credential',
  'credentials',
  'creds',
  'auth',
  'authorization',
  'session',
  'cookie',
  'salt',
  'signature',
  'dsn',
  'passphrase',
  'otp',
]);

/** Whether a key (`DB_PASSWORD`, `apiKey`, `--auth-token`) names something secret. */
export function isSecretLookingKey(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  return words.some((w) => SECRET_WORDS.has(w));
}

const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i;
const KNOWN_TOKEN =
  /^(gh[pousr]_|github_pat_|glpat-|xox[abposr]-|sk-|sk_live_|rk_live_|AKIA[0-9A-Z]{12}|eyJ[\w-]+\.)/;

/** Whether a value looks like a secret whatever its key: credentials in a URL, PEM, known token shapes, long random strings. */
export function isSecretLookingValue(value: string): boolean {
  if (value.includes('-----BEGIN')) return true;
  if (URL_WITH_PASSWORD.test(value)) return true;
  if (KNOWN_TOKEN.test(value)) return true;
  // A long run of token characters (no dots: not a host or file name; not a path): random-looking when it mixes
  // upper case, lower case and digits, or is a long hex string.
  if (value.length < 24 || value.startsWith('/') || !/^[A-Za-z0-9+/=_-]+$/.test(value)) return false;
  if (/^[0-9a-fA-F]{32,}$/.test(value)) return true;
  return /[a-z]/.test(value) && /[A-Z]/.test(value) && /[0-9]/.test(value);
}

/** `[key, value]` in key order (byte order, as Nucleus writes them), secret-looking values masked. */
export function maskEntries(record: Readonly<Record<string, string>>): [string, string][] {
  return Object.keys(record)
    .sort(cmp)
    .map((key) => {
      const value = record[key] as string;
      return [key, isSecretLookingKey(key) || isSecretLookingValue(value) ? MASKED : value];
    });
}

/** An argv with secret-looking values masked: `--password=x`, the word after `--token`, and token-looking words. */
export function maskArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  let maskNext = false;
  for (const arg of argv) {
    if (maskNext) {
      maskNext = false;
      if (!arg.startsWith('-')) {
        out.push(MASKED);
        continue;
      }
    }
    const flag = /^(--?[A-Za-z][\w.-]*)(=)?/.exec(arg);
    if (flag !== null && isSecretLookingKey(flag[1] as string)) {
      if (flag[2] === '=') {
        out.push(`${flag[1] as string}=${MASKED}`);
        continue;
      }
      maskNext = true;
      out.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq > 0 && !arg.startsWith('-') && isSecretLookingKey(arg.slice(0, eq))) {
      out.push(`${arg.slice(0, eq)}=${MASKED}`);
      continue;
    }
    out.push(isSecretLookingValue(arg) ? MASKED : arg);
  }
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
