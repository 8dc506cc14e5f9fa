/**
 * Where plain http is allowed: on loopback only (a test server, a local proxy). Anywhere else a
 * key, a signed link or a file would travel in clear. One rule for `api-url`, the URLs a provider
 * hands out (upload, file, weights) and the download.
 */

/** 127.0.0.0/8 and ::1 (in any spelling the URL parser normalises), and `localhost`. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost') return true;
  if (host === '[::1]') return true;
  // The URL parser normalises IPv4 (127.1, 0x7f.1, 2130706433) to dotted decimal.
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** An https URL, or an http one to a loopback host; false for anything else, or no URL. */
export function isHttpsOrLoopback(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  } catch {
    return false;
  }
}

/** Any http or https URL: the shape of a link, before where it may lead is decided. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !/\s/.test(value);
  } catch {
    return false;
  }
}
