/** The path and query string of a request, as every listener routes on them. */
export interface RequestTarget {
  readonly pathname: string;
  /** With its `?`, or empty. */
  readonly search: string;
}

/** Origin-form targets are read against this authority; only their path and query are kept. */
const ORIGIN_FORM_BASE = 'http://origin-form.invalid';

/**
 * Reads a request line's target by one rule (the WHATWG URL parser), so that
 * a route answers one path however the request spells it: origin-form
 * (`/metrics?x`) and absolute-form (`http://host/metrics`, which HTTP/1.1
 * servers must accept) give the same path, and a fragment (`/metrics#x`,
 * which clients never send) is not part of it. `//metrics` stays a path of
 * its own rather than naming a host. Any other form (`*`, authority-form)
 * has no path.
 */
export function requestTarget(raw: string | undefined): RequestTarget | undefined {
  let url: URL;
  try {
    if (raw?.startsWith('/')) url = new URL(ORIGIN_FORM_BASE + raw);
    else if (raw && /^https?:\/\//i.test(raw)) url = new URL(raw);
    else return undefined;
  } catch {
    return undefined;
  }
  return { pathname: url.pathname, search: url.search };
}
