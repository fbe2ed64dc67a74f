import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger, RouteHandler } from '../../../shared/src';
import { EVALUATION_QUERY, evaluationCsv, evaluationSheets, evaluationXlsx, type ProvinceEvaluation } from './evaluationReport';

type Format = 'csv' | 'xlsx';

const CONTENT_TYPES: Record<Format, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * `/reports/evaluation.csv` and `/reports/evaluation.xlsx`, for `?year=2026` (a calendar year in UTC+8) or
 * `?from=…&to=…` (ISO 8601): both provinces' evaluation as the forms' spreadsheet. Built only on the public API:
 * the route asks this gateway's own `/graphql` with the caller's token, so it sees exactly what the caller may.
 */
export function serveEvaluationReport({ logger }: { logger: Logger }): Record<string, RouteHandler> {
  const serve = (format: Format) => async (req: IncomingMessage, res: ServerResponse) => {
    const period = periodOf(new URL(req.url ?? '/', 'http://gateway').searchParams);
    if ('error' in period) return sendError(res, 400, period.error);
    const host = req.socket.localAddress?.includes(':') ? `[${req.socket.localAddress}]` : req.socket.localAddress;
    const response = await fetch(`http://${host}:${req.socket.localPort}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        ...(typeof req.headers['x-request-id'] === 'string' ? { 'x-request-id': req.headers['x-request-id'] } : {}),
      },
      body: JSON.stringify({ query: EVALUATION_QUERY, variables: period }),
    });
    const body = (await response.json()) as { data?: Record<string, { evaluation: ProvinceEvaluation } | null> | null; errors?: { message: string }[] };
    const provinces = Object.values(body.data ?? {}).flatMap((registry) => (registry ? [registry.evaluation] : []));
    if (provinces.length === 0) return sendError(res, response.status === 200 ? 502 : response.status, body.errors?.[0]?.message ?? 'No province answered.');
    if (body.errors?.length) logger.warn({ errors: body.errors.map((error) => error.message) }, 'evaluation export without a province');
    const sheets = evaluationSheets(provinces);
    const file = format === 'csv' ? Buffer.from(evaluationCsv(sheets), 'utf8') : await evaluationXlsx(sheets);
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[format],
      'content-length': file.length,
      'content-disposition': `attachment; filename="evaluation-${period.from.slice(0, 10)}-${period.to.slice(0, 10)}.${format}"`,
      'cache-control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : file);
  };
  return { '/reports/evaluation.csv': serve('csv'), '/reports/evaluation.xlsx': serve('xlsx') };
}

/** `year` as a calendar year in China time, or `from` and `to` as given. */
function periodOf(params: URLSearchParams): { from: string; to: string } | { error: string } {
  const year = params.get('year');
  if (year !== null) {
    if (!/^\d{4}$/.test(year)) return { error: 'year must be four digits, e.g. year=2026.' };
    return { from: `${year}-01-01T00:00:00+08:00`, to: `${Number(year) + 1}-01-01T00:00:00+08:00` };
  }
  const from = params.get('from');
  const to = params.get('to');
  if (!from || !to || Number.isNaN(Date.parse(from)) || Number.isNaN(Date.parse(to))) {
    return { error: 'Give year=YYYY, or from and to as ISO 8601 date-times (e.g. from=2026-01-01T00:00:00%2B08:00).' };
  }
  return { from, to };
}

function sendError(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ error: message }));
}
