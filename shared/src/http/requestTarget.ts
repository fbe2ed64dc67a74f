/** The path and query string of a request, as every listener routes on them. */
export interface RequestTarget {
  readonly pathname: string;
  /** With its `?`, or empty. */
  readonly search: string;
}

/** The scheme and authority of an absolute-form target (`http://host:port`), which name no path. */
const ABSOLUTE_FORM_PREFIX = /^https?:\/\/[^/?#]*/i;

/**
 * Reads a request line's target by one rule, so that a route answers one path
 * however the request spells it: origin-form (`/metrics?x`) and absolute-form
 * (`http://host/metrics`, which HTTP/1.1 servers must accept) give the same
 * path, and a fragment (`/metrics#x`, which clients never send) is not part of
 * it. The path is matched as sent: nothing is decoded, merged or resolved, so
 * `//metrics`, `/%6Detrics` and `/x/../metrics` are paths of their own. Any
 * other form (`*`, authority-form) has no path.
 */
export function requestTarget(raw: string | undefined): RequestTarget | undefined {
  let target: string;
  if (raw?.startsWith('/')) {
    target = raw;
  } else {
    const prefix = raw ? ABSOLUTE_FORM_PREFIX.exec(raw) : null;
    if (!raw || !prefix) return undefined;
    target = raw.slice(prefix[0].length);
    if (!target.startsWith('/')) target = `/${target}`;
  }
  const end = target.search(/[?#]/);
  if (end === -1) return { pathname: target, search: '' };
  const search = target[end] === '?' ? target.slice(end).split('#', 1)[0]! : '';
  return { pathname: target.slice(0, end), search };
}
