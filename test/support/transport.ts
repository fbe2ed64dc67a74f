/**
 * Where a test's requests go. Over HTTP, the network (global fetch); in a file
 * whose system runs in-process (fileSystem.ts), the service registered for the
 * URL's origin answers in this process instead.
 */
const localFetches = new Map<string, typeof fetch>();

/** Routes requests to `url`'s origin to an in-process service. */
export function registerLocalFetch(url: string, localFetch: typeof fetch): void {
  localFetches.set(new URL(url).origin, localFetch);
}

/** The fetch that reaches `url`: the in-process service registered for its origin, else the network. */
export function fetchRegistered(url: string): typeof fetch {
  return localFetches.get(new URL(url).origin) ?? fetch;
}
