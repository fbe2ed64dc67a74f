import { createHash } from 'node:crypto';
import { readFileSync, watch } from 'node:fs';
import { dirname } from 'node:path';
import type { SupergraphSdlHook } from '@apollo/gateway';
import { Supergraph } from '@apollo/federation-internals';
import type { Logger } from '../../../shared/src';
import { supergraphForGateway } from '../supergraphForGateway';

export interface SupergraphFileOptions {
  readonly file: string;
  readonly logger: Logger;
  /** Quiet time after the last change in the file's folder before reading it. Default 200 ms. */
  readonly debounceMs?: number;
  /** The signal that asks for a reload (`kill -HUP`). Default SIGHUP. */
  readonly reloadSignal?: NodeJS.Signals;
  /** Reload when the file changes (`SUPERGRAPH_WATCH`, default true); off, only the signal reloads it. */
  readonly watch?: boolean;
}

/**
 * The supergraph from a file, reloaded when the file changes or on SIGHUP,
 * for @apollo/gateway's `supergraphSdl` hook. A new version is checked the way
 * the gateway would build it before it is handed over; an invalid one is
 * rejected with one log line and the last good one keeps serving. Requests in
 * flight finish on the schema and plan they started with.
 */
export function supergraphFromFile(options: SupergraphFileOptions): SupergraphSdlHook {
  const { file, logger } = options;
  const signal = options.reloadSignal ?? 'SIGHUP';
  return async ({ update }) => {
    // At start an unreadable or invalid file stops the gateway, as before: there is no last good one yet.
    const initialText = readFileSync(file, 'utf8');
    const initial = checkedSupergraph(initialText);
    let servingHash = sha256(initialText);
    logger.info({ file, sha256: servingHash }, 'supergraph loaded');

    const reload = (trigger: 'file change' | 'signal') => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        logger.error({ file, trigger, reason: messageOf(error) }, 'supergraph not reloaded: the file cannot be read; the last good one keeps serving');
        return;
      }
      const hash = sha256(text);
      if (hash === servingHash) {
        logger[trigger === 'signal' ? 'info' : 'debug']({ file, trigger, sha256: hash }, 'supergraph unchanged');
        return;
      }
      try {
        update(checkedSupergraph(text));
      } catch (error) {
        logger.error({ file, trigger, sha256: hash, reason: messageOf(error) }, 'supergraph rejected; the last good one keeps serving');
        return;
      }
      logger.info({ file, trigger, sha256: hash, previous: servingHash }, 'supergraph reloaded');
      servingHash = hash;
    };

    // The folder, not the file: editors and `mv` replace the file, which ends a watch on the file itself, and a
    // Kubernetes ConfigMap swaps a symlink beside it. Any event in the folder leads to one read once writes settle;
    // an unchanged file is then ignored.
    let settling: NodeJS.Timeout | undefined;
    const watcher = options.watch === false
      ? undefined
      : watch(dirname(file), () => {
        clearTimeout(settling);
        settling = setTimeout(() => reload('file change'), options.debounceMs ?? 200);
      });
    watcher?.on('error', (error) => logger.error({ file, reason: messageOf(error) }, 'cannot watch the supergraph file; reload with SIGHUP'));
    const onSignal = () => reload('signal');
    process.on(signal, onSignal);

    return {
      supergraphSdl: initial,
      cleanup: async () => {
        clearTimeout(settling);
        watcher?.close();
        process.off(signal, onSignal);
      },
    };
  };
}

/** The supergraph as the gateway loads it, after building it with full validation and deriving its API schema; throws on any error. */
function checkedSupergraph(text: string): string {
  const sdl = supergraphForGateway(text);
  Supergraph.build(sdl, { validateSupergraph: true }).apiSchema();
  return sdl;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The first lines of an error, enough to act on and still one log line. */
function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 1_000);
}
