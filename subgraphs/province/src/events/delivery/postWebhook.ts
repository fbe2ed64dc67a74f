import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkedAddresses, webhookUrlProblem, type Resolve, resolveAll, type WebhookAddressPolicy } from './webhookAddresses';

/** How one delivery attempt ended: the receiver's status, or why there was none. */
export type PostOutcome = { readonly ok: true; readonly status: number } | { readonly ok: false; readonly status: number | null; readonly error: string };

/** The most of a receiver's answer that is read (and thrown away): a receiver cannot make the worker hold a large body. */
const MAX_ANSWER_BYTES = 16_384;

/**
 * POSTs one signed delivery. The address is checked when the connection is made (the lookup
 * below), not only when the subscription was written, so a name that later resolves to a private
 * address (DNS rebinding) is refused, and the socket goes to the very address that was checked.
 * Redirects are not followed (a 3xx is a failed attempt), and the whole exchange has `timeoutMs`.
 */
export function postWebhook(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  options: { readonly timeoutMs: number; readonly policy: WebhookAddressPolicy; readonly resolve?: Resolve },
): Promise<PostOutcome> {
  const problem = webhookUrlProblem(rawUrl, options.policy);
  if (problem) return Promise.resolve({ ok: false, status: null, error: `url ${problem}` });
  const url = new URL(rawUrl);
  const resolve = options.resolve ?? resolveAll;
  const lookup: LookupFunction = (host, lookupOptions, callback) => {
    checkedAddresses(host, options.policy, resolve).then(
      (addresses) => {
        if (lookupOptions.all) callback(null, addresses as never);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: Error) => callback(Object.assign(error, { code: 'EADDRREFUSED' }) as NodeJS.ErrnoException, '', 0),
    );
  };
  const requestOptions: RequestOptions = {
    method: 'POST',
    headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    lookup,
    // One connection per attempt: a pooled socket would skip the address check.
    agent: false,
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((settle) => {
    let settled = false;
    const finish = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      settle(outcome);
    };
    const request = send(url, requestOptions, (response) => {
      const status = response.statusCode ?? 0;
      let read = 0;
      response.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_ANSWER_BYTES) response.destroy();
      });
      const done = () => {
        if (status >= 200 && status < 300) finish({ ok: true, status });
        else if (status >= 300 && status < 400) finish({ ok: false, status, error: `redirect to ${response.headers.location ?? '(no location)'} not followed` });
        else finish({ ok: false, status, error: `HTTP ${status}` });
      };
      response.on('end', done);
      response.on('close', done);
      response.on('error', done);
    });
    const timer = setTimeout(() => finish({ ok: false, status: null, error: `no answer within ${options.timeoutMs} ms` }), options.timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => finish({ ok: false, status: null, error: error.message || error.code || 'connection failed' }));
    request.end(body);
  });
}
