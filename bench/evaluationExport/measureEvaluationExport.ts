import { rssMiB, sampleRss } from '../load/processMemory';

export interface EvaluationExportTiming {
  readonly format: 'csv' | 'xlsx';
  /** Instrument rows of both provinces the file holds (the provinces' instrumentCount). */
  readonly instruments: number;
  /** From the request to the answer's status and headers: the export streams, so this is before any page is read. */
  readonly firstByteSeconds: number;
  readonly seconds: number;
  readonly fileMiB: number;
  /** The gateway's resident memory just before, and the highest sample while it wrote the file. */
  readonly gatewayRssBeforeMiB: number | null;
  readonly gatewayPeakRssMiB: number | null;
  readonly outcome: string;
}

/**
 * Downloads the annual evaluation of both provinces as CSV and as XLSX from the gateway, reading the body as it
 * comes (nothing kept), while sampling the gateway process's resident memory: the export walks every instrument's
 * page and streams the rows, so its memory should not grow with the number of instruments.
 */
export async function measureEvaluationExport(
  gatewayUrl: string, gatewayPid: number, period: { from: string; to: string }, log: (line: string) => void,
): Promise<EvaluationExportTiming[]> {
  const instruments = await instrumentCount(gatewayUrl, period);
  const timings: EvaluationExportTiming[] = [];
  for (const format of ['csv', 'xlsx'] as const) {
    const url = new URL(`/reports/evaluation.${format}?from=${encodeURIComponent(period.from)}&to=${encodeURIComponent(period.to)}`, gatewayUrl);
    const before = rssMiB(gatewayPid);
    const memory = sampleRss(gatewayPid);
    const started = performance.now();
    let bytes = 0;
    let firstByteSeconds = 0;
    let outcome = 'complete';
    try {
      const response = await fetch(url);
      firstByteSeconds = (performance.now() - started) / 1000;
      if (response.status !== 200 || !response.body) throw new Error(`HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`);
      for await (const chunk of response.body) bytes += (chunk as Uint8Array).byteLength;
    } catch (error) {
      outcome = `failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    const timing = {
      format, instruments, firstByteSeconds, seconds: (performance.now() - started) / 1000, fileMiB: bytes / 2 ** 20,
      gatewayRssBeforeMiB: before, gatewayPeakRssMiB: memory.stop(), outcome,
    };
    log(`evaluation export ${format}: ${instruments.toLocaleString('en')} instruments in ${timing.seconds.toFixed(1)} s (headers after ${firstByteSeconds.toFixed(2)} s), ` +
      `${timing.fileMiB.toFixed(1)} MiB, gateway RSS ${before?.toFixed(0)} → peak ${timing.gatewayPeakRssMiB?.toFixed(0)} MiB; ${outcome}`);
    timings.push(timing);
  }
  return timings;
}

/** Both provinces' instruments in the report, as the API counts them. */
async function instrumentCount(gatewayUrl: string, period: { from: string; to: string }): Promise<number> {
  const evaluation = '{ evaluation(from: $from, to: $to) { instrumentCount } }';
  const response = await fetch(new URL('/graphql', gatewayUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: `query($from: DateTime!, $to: DateTime!) { sichuan ${evaluation} chongqing ${evaluation} }`, variables: period }),
  });
  const body = (await response.json()) as { data?: Record<string, { evaluation: { instrumentCount: number } } | null> };
  return Object.values(body.data ?? {}).reduce((sum, registry) => sum + (registry?.evaluation.instrumentCount ?? 0), 0);
}
