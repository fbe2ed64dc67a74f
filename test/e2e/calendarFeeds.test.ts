import { clientToken } from '../support/callers';
import { DEMO_PARTNER_CLIENT } from '../support/demoData';
import { book, closePools, confirm, createInstrument, SlotAllocator } from '../support/registryFixtures';
import { gateway, onlyError, testSystem, tokenFor } from '../support/system';

/**
 * Calendar feeds at the gateway: a person's bookings in both provinces at a secret address that
 * stops working when revoked, and an instrument's public busy times.
 */
const slots = { sichuan: new SlotAllocator(70), chongqing: new SlotAllocator(70) };
const CREATE = 'mutation NewFeed { createCalendarFeed { url feed { id createdAt revokedAt } } }';

/** GETs a feed at this file's gateway, with the query string of the address the platform handed out. */
async function fetchFeed(path: string, search: string): Promise<{ status: number; type: string | null; text: string }> {
  const response = await fetch(new URL(`${path}${search}`, testSystem().gatewayUrl));
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

/** The VEVENT blocks of an iCalendar text, each as its unfolded lines. */
function events(text: string): string[][] {
  const unfolded = text.replace(/\r\n[ \t]/g, '');
  return [...unfolded.matchAll(/BEGIN:VEVENT\r\n([\s\S]*?)END:VEVENT/g)].map((match) => match[1]!.split('\r\n').filter(Boolean));
}

afterAll(closePools);

describe('calendar feeds', () => {
  it('shows the person\'s bookings of both provinces, and nothing once revoked', async () => {
    const researcher = await tokenFor('chen.jing');
    const sichuanBooking = await book('sichuan', researcher, await createInstrument('sichuan'), slots.sichuan.take());
    await confirm('sichuan', sichuanBooking);
    const chongqingBooking = await book('chongqing', researcher, await createInstrument('chongqing'), slots.chongqing.take());

    const { body } = await gateway(CREATE, { token: researcher });
    expect(body.errors).toBeUndefined();
    const { url, feed } = body.data.createCalendarFeed;
    const address = new URL(url);
    expect(address.pathname).toBe('/calendar/bookings.ics');
    expect(address.searchParams.get('feed')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(feed.revokedAt).toBeNull();

    const served = await fetchFeed(address.pathname, address.search);
    expect(served.status).toBe(200);
    expect(served.type).toBe('text/calendar; charset=utf-8');
    expect(served.text).toMatch(/^BEGIN:VCALENDAR\r\nVERSION:2\.0\r\nPRODID:/);
    const byUid = new Map(events(served.text).map((lines) => [lines.find((l) => l.startsWith('UID:'))!.slice(4), lines]));
    expect(byUid.get(`${sichuanBooking}@shuangcheng`)).toEqual(expect.arrayContaining(['STATUS:CONFIRMED', expect.stringMatching(/^DTSTART:\d{8}T\d{6}Z$/)]));
    expect(byUid.get(`${chongqingBooking}@shuangcheng`)).toEqual(expect.arrayContaining(['STATUS:TENTATIVE']));

    // Only the person sees and revokes their feeds.
    const listed = await gateway('query Feeds { me { calendarFeeds { id revokedAt } } }', { token: researcher });
    expect(listed.body.data.me.calendarFeeds).toContainEqual({ id: feed.id, revokedAt: null });
    const stranger = await gateway('mutation Revoke($id: ID!) { revokeCalendarFeed(id: $id) { id } }', { token: await tokenFor('li.wei'), variables: { id: feed.id } });
    expect(onlyError(stranger.body).extensions?.code).toBe('FORBIDDEN');
    expect((await fetchFeed(address.pathname, address.search)).status).toBe(200);

    const revoked = await gateway('mutation Revoke($id: ID!) { revokeCalendarFeed(id: $id) { id revokedAt } }', { token: researcher, variables: { id: feed.id } });
    expect(revoked.body.data.revokeCalendarFeed.revokedAt).toEqual(expect.any(String));
    const after = await fetchFeed(address.pathname, address.search);
    expect(after.status).toBe(404);
    expect(after.text).toMatch(/revoked/);
    expect(after.text).not.toMatch(/VCALENDAR/);
  });

  it('refuses unknown secrets, and feeds for partner clients', async () => {
    expect((await fetchFeed('/calendar/bookings.ics', '?feed=not-a-feed')).status).toBe(404);
    expect((await fetchFeed('/calendar/bookings.ics', '')).status).toBe(404);
    const partner = await clientToken(DEMO_PARTNER_CLIENT.clientId, DEMO_PARTNER_CLIENT.clientSecret);
    expect(onlyError((await gateway(CREATE, { token: partner })).body).extensions?.code).toBe('FORBIDDEN');
    expect(onlyError((await gateway(CREATE, {})).body).extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('shows an instrument\'s busy times to anyone, never who booked', async () => {
    const instrumentId = await createInstrument('sichuan');
    const slot = slots.sichuan.take();
    await book('sichuan', await tokenFor('li.wei'), instrumentId, slot, 'Secret project purpose text');
    const served = await fetchFeed('/calendar/instrument.ics', `?id=${encodeURIComponent(instrumentId)}`);
    expect(served.status).toBe(200);
    const [busy, ...more] = events(served.text);
    expect(more).toEqual([]);
    expect(busy).toEqual(expect.arrayContaining([`DTSTART:${slot.start.replace(/[-:]/g, '').replace(/\.\d{3}/, '')}`, 'SUMMARY:Busy · 已预约']));
    expect(served.text).not.toMatch(/Secret project|li\.wei|Li Wei/);
    expect((await fetchFeed('/calendar/instrument.ics', '?id=nonsense')).status).toBe(400);
  });
});
