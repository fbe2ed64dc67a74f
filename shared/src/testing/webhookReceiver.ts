import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** How the receiver answers one request: a status, a redirect, or never (it holds the connection open). */
export type ReceiverAnswer = number | { readonly redirectTo: string } | 'never';

export interface ReceivedWebhook {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
  /** What the receiver answered. */
  readonly answer: ReceiverAnswer;
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>/hooks` */
  readonly url: string;
  /** Every request, in arrival order. */
  readonly received: ReceivedWebhook[];
  /** The answers for the next requests, in order; once used up, every request gets 204. */
  answerNext(...answers: ReceiverAnswer[]): void;
  /** Forgets the answers not used yet: every request from now gets 204. */
  clearAnswers(): void;
  /** Requests answered `never` whose sender has not given up yet: deliveries held open right now. */
  holding(): number;
  close(): Promise<void>;
}

/** A real HTTP server on a free port that takes webhook deliveries, answering as told, for tests and the bench. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const script: ReceiverAnswer[] = [];
  const sockets = new Set<Socket>();
  const held: ServerResponse[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = script.shift() ?? 204;
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now(), answer });
      if (answer === 'never') {
        held.push(response);
        response.on('close', () => held.splice(held.indexOf(response), 1));
        return;
      }
      if (typeof answer === 'number') response.writeHead(answer).end();
      else response.writeHead(302, { location: answer.redirectTo }).end();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    answerNext: (...answers) => script.push(...answers),
    clearAnswers: () => {
      script.length = 0;
    },
    holding: () => held.length,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
