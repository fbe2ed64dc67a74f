import type { IncomingMessage, ServerResponse } from 'node:http';
import { print } from 'graphql';
import type { Logger, RouteHandler } from '../../../shared/src';
import {
  EvaluationExportPageDocument, EvaluationExportTotalsDocument, type EvaluationExportPageQuery, type EvaluationExportTotalsQuery,
} from './evaluationExport.generated';
import { institutionForm, instrumentHeader, instrumentRow, provinceForm, type ProvinceTotals } from './evaluationReport';
import { csvFormWriter, xlsxFormWriter, type EvaluationFormWriter } from './evaluationWriters';

type Format = 'csv' | 'xlsx';

const CONTENT_TYPES: Record<Format, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

const WRITERS: Record<Format, (out: ServerResponse, header: ReturnType<typeof instrumentHeader>) => EvaluationFormWriter> = {
  csv: csvFormWriter,
  xlsx: xlsxFormWriter,
};

/** The most instruments one page of the API gives (`first`). */
const PAGE_SIZE = 100;
const TOTALS_QUERY = print(EvaluationExportTotalsDocument);
const PAGE_QUERY = print(EvaluationExportPageDocument);
const PROVINCE_KEYS = ['sichuan', 'chongqing'] as const;
type ProvinceKey = (typeof PROVINCE_KEYS)[number];

interface GraphQLAnswer<T> {
  readonly status: number;
  readonly data: T | null;
  readonly errors: readonly { message: string }[];
}

/**
 * `/reports/evaluation.csv` and `/reports/evaluation.xlsx`, for `?year=2026` (a calendar year in UTC+8) or
 * `?from=…&to=…` (ISO 8601): both provinces' evaluation as the forms' spreadsheet. Built only on the public API:
 * the route asks this gateway's own `/graphql` with the caller's token, so it sees exactly what the caller may.
 * The totals come first (a province that does not answer them is left out, and none answering is an error
 * status); then the answer starts and each province's instruments are walked a page at a time, each page written
 * before the next is asked for, so memory stays flat whatever the number of instruments.
 */
export function serveEvaluationReport({ logger }: { logger: Logger }): Record<string, RouteHandler> {
  const serve = (format: Format) => async (req: IncomingMessage, res: ServerResponse) => {
    const period = periodOf(new URL(req.url ?? '/', 'http://gateway').searchParams);
    if ('error' in period) return sendError(res, 400, period.error);
    const ask = askingOwnGateway(req);
    const totals = await ask<EvaluationExportTotalsQuery>(TOTALS_QUERY, period);
    const answered = PROVINCE_KEYS.flatMap((key) => {
      const evaluation = totals.data?.[key]?.evaluation;
      return evaluation ? [{ key, evaluation }] : [];
    });
    if (answered.length === 0) return sendError(res, totals.status === 200 ? 502 : totals.status, totals.errors[0]?.message ?? 'No province answered.');
    if (totals.errors.length) logger.warn({ errors: totals.errors.map((error) => error.message) }, 'evaluation export without a province');
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[format],
      'content-disposition': `attachment; filename="evaluation-${period.from.slice(0, 10)}-${period.to.slice(0, 10)}.${format}"`,
      'cache-control': 'no-store',
    });
    if (req.method === 'HEAD') return void res.end();
    const writer = WRITERS[format](res, instrumentHeader());
    try {
      for (const { key, evaluation } of answered) await writeInstruments(ask, period, key, evaluation, writer);
      const provinces: ProvinceTotals[] = answered.map(({ evaluation }) => evaluation);
      await writer.finish(institutionForm(provinces), provinceForm(provinces));
    } catch (error) {
      // The status is sent: a file that ended here would look complete, so the download is broken off instead.
      logger.error({ err: error }, 'evaluation export broken off');
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  };
  return { '/reports/evaluation.csv': serve('csv'), '/reports/evaluation.xlsx': serve('xlsx') };
}

/** One province's instruments, page after page, each written before the next is asked for. */
async function writeInstruments(
  ask: Ask, period: { from: string; to: string }, key: ProvinceKey, evaluation: ProvinceTotals, writer: EvaluationFormWriter,
): Promise<void> {
  let after: string | null = null;
  for (;;) {
    const page: GraphQLAnswer<EvaluationExportPageQuery> = await ask<EvaluationExportPageQuery>(PAGE_QUERY, {
      ...period, first: PAGE_SIZE, after, sichuan: key === 'sichuan', chongqing: key === 'chongqing',
    });
    const instruments = page.data?.[key]?.evaluation.instruments;
    if (!instruments) throw new Error(`${evaluation.province} stopped answering part-way: ${page.errors[0]?.message ?? `HTTP ${page.status}`}`);
    await writer.instruments(instruments.edges.map(({ node }) => instrumentRow(evaluation.province, node)));
    if (!instruments.pageInfo.hasNextPage) return;
    after = instruments.pageInfo.endCursor ?? null;
  }
}

type Ask = <T>(query: string, variables: Record<string, unknown>) => Promise<GraphQLAnswer<T>>;

/** Posts to this gateway's own `/graphql` with the caller's token and request id, as the caller could. */
function askingOwnGateway(req: IncomingMessage): Ask {
  const host = req.socket.localAddress?.includes(':') ? `[${req.socket.localAddress}]` : req.socket.localAddress;
  const url = `http://${host}:${req.socket.localPort}/graphql`;
  const headers = {
    'content-type': 'application/json',
    ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    ...(typeof req.headers['x-request-id'] === 'string' ? { 'x-request-id': req.headers['x-request-id'] } : {}),
  };
  return async <T>(query: string, variables: Record<string, unknown>) => {
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as { data?: T | null; errors?: { message: string }[] };
    return { status: response.status, data: body.data ?? null, errors: body.errors ?? [] };
  };
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
