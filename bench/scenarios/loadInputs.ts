import { Client } from 'pg';
import { PROVINCES, PROVINCE_KEYS, type ProvinceKey } from '../../shared/src';
import { BENCH_PREFIX } from '../data/generateData';
import type { BookableInstrument, RequestableOffering } from './createScenarios';
import { LOGIN } from './operations';

const DEMO_PASSWORD = 'shuangcheng-demo';
const INSTRUMENTS_PER_PROVINCE = 500;
const BOOKABLE_LIMIT = 20_000;

export interface LoadedInputs {
  readonly jointLabIds: string[];
  readonly instrumentIds: string[];
  /** Bookable instruments of Chongqing, which the Sichuan researcher books. */
  readonly bookable: BookableInstrument[];
  /** A seeded sample-testing offering of Chongqing, with values for its form. */
  readonly serviceOffering: RequestableOffering | null;
}

/** A value of each sample-form type that the form's check accepts. */
const SAMPLE_VALUES: Readonly<Record<string, string>> = { TEXT: 'Benchmark sample', NUMBER: '42', BOOLEAN: 'false', DATE: '2030-01-01' };

/**
 * What the scenarios send, read from the generated rows (each province's
 * database with its own role, reading only).
 */
export async function loadScenarioInputs(gatewayUrl: string, databaseUrls: Readonly<Record<ProvinceKey, string>>): Promise<LoadedInputs> {
  const jointLabIds: string[] = [];
  const instrumentIds: string[] = [];
  let bookable: BookableInstrument[] = [];
  let serviceOffering: RequestableOffering | null = null;
  for (const key of PROVINCE_KEYS) {
    const prefix = PROVINCES[key].idPrefix;
    await withClient(databaseUrls[key], async (client) => {
      const labs = await client.query<{ id: string }>(
        `SELECT l.id FROM labs l WHERE l.jointly_built AND l.code LIKE '${BENCH_PREFIX.lab}%'
            AND EXISTS (SELECT 1 FROM lab_partner_instruments p WHERE p.lab_id = l.id) ORDER BY l.code LIMIT 100`,
      );
      jointLabIds.push(...labs.rows.map((row) => `${prefix}:lab:${row.id}`));
      const instruments = await client.query<{ id: string }>(
        `SELECT id FROM instruments WHERE asset_code LIKE '${BENCH_PREFIX.instrument}%' ORDER BY asset_code LIMIT ${INSTRUMENTS_PER_PROVINCE}`,
      );
      instrumentIds.push(...instruments.rows.map((row) => `${prefix}:instrument:${row.id}`));
      if (key === 'chongqing') {
        const rows = await client.query<{ id: string; open_from_hour: number }>(
          `SELECT id, open_from_hour FROM instruments
            WHERE asset_code LIKE '${BENCH_PREFIX.instrument}%' AND status = 'IN_SERVICE' AND open_for_sharing
            ORDER BY asset_code LIMIT ${BOOKABLE_LIMIT}`,
        );
        bookable = rows.rows.map((row) => ({ id: `${prefix}:instrument:${row.id}`, openFromHour: row.open_from_hour }));
        const offerings = await client.query<{ id: string; sample_form: { name: string; type: string }[] }>(
          "SELECT id, sample_form FROM offerings WHERE kind = 'SAMPLE_TESTING' AND active ORDER BY name, id LIMIT 1",
        );
        const offering = offerings.rows[0];
        if (offering) {
          serviceOffering = {
            id: `${prefix}:offering:${offering.id}`,
            formValues: offering.sample_form.map((field) => ({ name: field.name, value: SAMPLE_VALUES[field.type]! })),
          };
        }
      }
    });
  }
  // Interleave the provinces so consecutive lookups go to both.
  instrumentIds.sort((a, b) => a.slice(a.lastIndexOf(':')).localeCompare(b.slice(b.lastIndexOf(':'))));
  return { jointLabIds, instrumentIds, bookable, serviceOffering };
}

/** One connection of the bench's own (named so in pg_stat_activity) for `work`. */
export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: 'shuangcheng-bench' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Signs a demo researcher in through the gateway; returns the access token. */
export async function login(gatewayUrl: string, username: string): Promise<string> {
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: LOGIN, variables: { username, password: DEMO_PASSWORD } }),
  });
  const body = (await response.json()) as { data?: { login?: { token: string } }; errors?: unknown };
  if (!body.data?.login) throw new Error(`login of ${username} failed: ${JSON.stringify(body.errors)}`);
  return body.data.login.token;
}
