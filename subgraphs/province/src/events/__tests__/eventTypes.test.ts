import { readableEventTypes, readScopeOf } from '../eventTypes';

describe('event read scopes', () => {
  it('names the province in the partner scope of private events', () => {
    expect(readScopeOf('serviceRequest.quoted', 'sichuan')).toBe('usage:record:sichuan');
    expect(readScopeOf('charge.created', 'chongqing')).toBe('usage:record:chongqing');
    expect(readScopeOf('booking.confirmed', 'sichuan')).toBe('catalog:read');
  });

  it('lets a caller read private events only with the partner scope of that province', () => {
    const researcher = readableEventTypes(new Set(['catalog:read', 'booking:write', 'card:verify']), 'sichuan');
    expect(researcher).toContain('booking.confirmed');
    expect(researcher.filter((type) => type.startsWith('serviceRequest.') || type.startsWith('charge.'))).toEqual([]);

    const sichuanPartner = readableEventTypes(new Set(['usage:record:sichuan']), 'sichuan');
    expect(sichuanPartner).toEqual(expect.arrayContaining(['serviceRequest.submitted', 'serviceRequest.closed', 'charge.created', 'charge.credited']));
    expect(sichuanPartner).not.toContain('booking.confirmed');
    expect(readableEventTypes(new Set(['usage:record:sichuan']), 'chongqing')).toEqual([]);
  });
});
