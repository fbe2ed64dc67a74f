import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { Logger, RouteHandler } from '../../../shared/src';

export interface DashboardOptions {
  readonly logger: Logger;
  /** The page's source folder. Default: `dashboard/` at the repository root. */
  readonly sourceDir?: string;
}

interface Asset {
  readonly body: Buffer;
  readonly gzip: Buffer;
  readonly contentType: string;
  readonly etag: string;
}

interface DashboardAssets {
  readonly html: Asset;
  readonly js: Asset;
  readonly css: Asset;
}

export const DASHBOARD_SOURCE_DIR = join(__dirname, '..', '..', '..', 'dashboard');

/**
 * The page may only talk to this origin: no CDN, no third-party script. Inline
 * styles are allowed because ECharts writes its tooltip as styled HTML.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join('; ');

/**
 * Routes that serve the dashboard at `/dashboard` (`dashboard/`, see its
 * README): the page, and its script and stylesheet, which esbuild bundles
 * (ECharts included) in memory when the gateway starts, so there is no build
 * step and nothing generated to commit. The build runs in the background;
 * a request that comes first waits for it. The routes are a fixed list of
 * in-memory files: no request reaches the file system, so no path can
 * escape the folder. If the build fails the API is unaffected and
 * `/dashboard` answers 503 (the reason is in the gateway log).
 */
export function serveDashboard({ logger, sourceDir = DASHBOARD_SOURCE_DIR }: DashboardOptions): Record<string, RouteHandler> {
  const startedAt = Date.now();
  const built = buildDashboard(sourceDir).then(
    (assets) => {
      logger.info({ ms: Date.now() - startedAt, scriptBytes: assets.js.body.length, gzipBytes: assets.js.gzip.length }, 'dashboard built');
      return assets;
    },
    (error: unknown) => {
      logger.error({ err: error, sourceDir }, 'dashboard build failed; /dashboard answers 503');
      return null;
    },
  );
  const route = (pick: (assets: DashboardAssets) => Asset): RouteHandler => async (req, res) => {
    const assets = await built;
    if (!assets) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '60' });
      res.end('The dashboard is not available on this gateway; the GraphQL API at /graphql is.\n');
      return;
    }
    sendAsset(req, res, pick(assets));
  };
  const page = route((assets) => assets.html);
  return {
    '/dashboard': page,
    '/dashboard/': page,
    '/dashboard/app.js': route((assets) => assets.js),
    '/dashboard/app.css': route((assets) => assets.css),
  };
}

async function buildDashboard(sourceDir: string): Promise<DashboardAssets> {
  const [html, result] = await Promise.all([
    readFile(join(sourceDir, 'index.html')),
    build({
      absWorkingDir: sourceDir,
      entryPoints: { app: join(sourceDir, 'src', 'main.ts') },
      tsconfig: join(sourceDir, 'tsconfig.json'),
      bundle: true,
      write: false,
      outdir: join(sourceDir, 'out'),
      format: 'iife',
      platform: 'browser',
      target: ['es2020'],
      minify: true,
      charset: 'utf8',
      logLevel: 'silent',
    }),
  ]);
  const output = (extension: string) => {
    const file = result.outputFiles.find((candidate) => candidate.path.endsWith(`app${extension}`));
    if (!file) throw new Error(`esbuild produced no app${extension}`);
    return Buffer.from(file.contents);
  };
  return {
    html: asset(html, 'text/html; charset=utf-8'),
    js: asset(output('.js'), 'text/javascript; charset=utf-8'),
    css: asset(output('.css'), 'text/css; charset=utf-8'),
  };
}

function asset(body: Buffer, contentType: string): Asset {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
  return { body, gzip: gzipSync(body), contentType, etag };
}

/** Revalidated on every load (cheap: 304 by ETag), so a new gateway's page is never mixed with an old script. */
function sendAsset(req: IncomingMessage, res: ServerResponse, file: Asset): void {
  const headers: Record<string, string | number> = {
    'content-type': file.contentType,
    'cache-control': 'no-cache',
    etag: file.etag,
    vary: 'accept-encoding',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  if (file.contentType.startsWith('text/html')) headers['content-security-policy'] = CONTENT_SECURITY_POLICY;
  if (req.headers['if-none-match'] === file.etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gzip ? file.gzip : file.body;
  res.writeHead(200, { ...headers, ...(gzip ? { 'content-encoding': 'gzip' } : {}), 'content-length': body.length });
  res.end(body);
}
