import { DomainError } from '../../../../../shared/src';
import { checkFormValues, checkReport, checkStep, STEPS, SERVICE_REQUEST_STATUSES, type ServiceRequestAction } from '../serviceRequestRules';

const form = [
  { name: 'organism', label: 'Organism', type: 'TEXT', required: true },
  { name: 'concentration', label: 'Concentration', type: 'NUMBER', required: true },
  { name: 'hazardous', label: 'Hazardous', type: 'BOOLEAN', required: false },
  { name: 'collected', label: 'Collected on', type: 'DATE', required: false },
] as const;

const failure = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a refusal');
};

describe('checkFormValues', () => {
  it('types each value by its field', () => {
    expect(checkFormValues(form, [
      { name: 'organism', value: ' Rice ' }, { name: 'concentration', value: '0.5' }, { name: 'hazardous', value: 'false' }, { name: 'collected', value: '2026-02-28' },
    ])).toEqual({ organism: 'Rice', concentration: 0.5, hazardous: false, collected: '2026-02-28' });
  });

  it('names every problem at once: missing, unknown, repeated, mistyped', () => {
    const error = failure(() => checkFormValues(form, [
      { name: 'colour', value: 'red' }, { name: 'hazardous', value: 'yes' }, { name: 'hazardous', value: 'no' }, { name: 'collected', value: '2026-02-30' },
    ]));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect((error.details['fields'] as { path: string }[]).map((field) => field.path)).toEqual([
      'input.formValues.colour', 'input.formValues.hazardous', 'input.formValues.organism', 'input.formValues.concentration',
      'input.formValues.hazardous', 'input.formValues.collected',
    ]);
  });
});

describe('checkStep', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  it('allows exactly the listed moves from each status', () => {
    for (const status of SERVICE_REQUEST_STATUSES) {
      for (const action of Object.keys(STEPS) as ServiceRequestAction[]) {
        const allowed = STEPS[action].from.includes(status);
        const attempt = () => checkStep(action, { status, quoteValidUntil: null }, now);
        if (allowed) expect(attempt().to).toBe(STEPS[action].to);
        else expect(failure(attempt).details).toMatchObject({ reason: 'FORBIDDEN_TRANSITION', status, action });
      }
    }
  });

  it('refuses to accept an expired quote', () => {
    expect(failure(() => checkStep('accept', { status: 'QUOTED', quoteValidUntil: new Date('2026-05-31T23:59:59Z') }, now)).details).toMatchObject({ reason: 'QUOTE_EXPIRED' });
  });
});

describe('checkReport', () => {
  const pdf = Buffer.from('%PDF-1.7 report').toString('base64');
  it('keeps a document whose bytes, type and name agree', () => {
    expect(checkReport({ fileName: 'result.pdf', contentType: 'application/pdf', contentBase64: pdf }).toString()).toBe('%PDF-1.7 report');
  });

  it.each([
    ['an unknown type', { fileName: 'result.exe', contentType: 'application/x-msdownload', contentBase64: pdf }, /contentType/],
    ['a name of another type', { fileName: 'result.png', contentType: 'application/pdf', contentBase64: pdf }, /matching file name/],
    ['bytes of another type', { fileName: 'result.pdf', contentType: 'application/pdf', contentBase64: Buffer.from('MZ binary').toString('base64') }, /first bytes/],
    ['text that is not base64', { fileName: 'result.pdf', contentType: 'application/pdf', contentBase64: 'not base64!' }, /standard base64/],
    ['a path as its name', { fileName: '../etc/passwd.pdf', contentType: 'application/pdf', contentBase64: pdf }, /fileName/],
  ])('refuses %s', (_, report, message) => {
    const error = failure(() => checkReport(report));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(message);
  });
});
