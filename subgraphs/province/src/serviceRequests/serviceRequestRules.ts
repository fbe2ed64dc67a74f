import { badUserInput, conflict, formatChinaTime } from '../../../../shared/src';
import type { SampleFormField } from '../offerings/OfferingEntity';

export const SERVICE_REQUEST_STATUSES = [
  'SUBMITTED', 'QUOTED', 'ACCEPTED', 'DECLINED', 'SAMPLES_RECEIVED', 'IN_PROGRESS', 'REPORT_ISSUED', 'CLOSED', 'CANCELLED', 'REJECTED',
] as const;
export type ServiceRequestStatus = (typeof SERVICE_REQUEST_STATUSES)[number];

export type ServiceRequestAction = 'quote' | 'accept' | 'decline' | 'receiveSamples' | 'start' | 'issueReport' | 'close' | 'cancel' | 'reject';

/** Who may take a step: the owning province's staff (its admins), the person who asked, or either. */
export type StepActor = 'staff' | 'requester' | 'either';

interface Step {
  readonly from: readonly ServiceRequestStatus[];
  readonly to: ServiceRequestStatus;
  readonly by: StepActor;
  /** The step closes the request and needs a reason. */
  readonly needsReason?: boolean;
}

/** The service request workflow. Anything not listed here is refused. */
export const STEPS: Readonly<Record<ServiceRequestAction, Step>> = {
  quote: { from: ['SUBMITTED', 'QUOTED'], to: 'QUOTED', by: 'staff' },
  accept: { from: ['QUOTED'], to: 'ACCEPTED', by: 'requester' },
  decline: { from: ['QUOTED'], to: 'DECLINED', by: 'requester', needsReason: true },
  receiveSamples: { from: ['ACCEPTED'], to: 'SAMPLES_RECEIVED', by: 'staff' },
  start: { from: ['SAMPLES_RECEIVED'], to: 'IN_PROGRESS', by: 'staff' },
  issueReport: { from: ['IN_PROGRESS'], to: 'REPORT_ISSUED', by: 'staff' },
  close: { from: ['REPORT_ISSUED'], to: 'CLOSED', by: 'staff' },
  cancel: { from: ['SUBMITTED', 'QUOTED', 'ACCEPTED'], to: 'CANCELLED', by: 'either', needsReason: true },
  reject: { from: ['SUBMITTED', 'QUOTED', 'ACCEPTED', 'SAMPLES_RECEIVED'], to: 'REJECTED', by: 'staff', needsReason: true },
};

const DOING: Record<ServiceRequestAction, string> = {
  quote: 'quoted', accept: 'accepted', decline: 'declined', receiveSamples: 'marked as samples received', start: 'started',
  issueReport: 'given a report', close: 'closed', cancel: 'cancelled', reject: 'rejected',
};

/**
 * Refuses a step the workflow does not allow from the request's status (CONFLICT naming the status and the
 * statuses it would need), and an acceptance of a quote past its validity.
 */
export function checkStep(action: ServiceRequestAction, request: { status: ServiceRequestStatus; quoteValidUntil: Date | null }, now: Date): Step {
  const step = STEPS[action];
  if (!step.from.includes(request.status)) {
    throw conflict(
      `A ${label(request.status)} service request cannot be ${DOING[action]}; only ${step.from.map(label).join(' or ')} requests can.`,
      { reason: 'FORBIDDEN_TRANSITION', status: request.status, action },
    );
  }
  if (action === 'accept' && request.quoteValidUntil && request.quoteValidUntil.getTime() < now.getTime()) {
    throw conflict(
      `The quote was valid until ${formatChinaTime(request.quoteValidUntil)}; ask the provider for a new quote, then accept that one.`,
      { reason: 'QUOTE_EXPIRED', status: request.status },
    );
  }
  return step;
}

const label = (status: ServiceRequestStatus) => status.toLowerCase().replace(/_/g, ' ');

/** How far ahead a quote may be valid, and a needed-by date may lie. */
export const QUOTE_MAX_VALID_DAYS = 180;
export const NEEDED_BY_MAX_DAYS = 366;

/**
 * The form values a request gives (each as text, as a form sends it), checked against the offering's sample
 * form: every required field present, no field the form does not name, none twice, each value of its field's
 * type. Values come back typed (numbers, booleans, YYYY-MM-DD dates, trimmed text).
 */
export function checkFormValues(form: readonly SampleFormField[], values: readonly { name: string; value: string }[]): Record<string, string | number | boolean> {
  const problems: { path: string; message: string }[] = [];
  const clean: Record<string, string | number | boolean> = {};
  const given = new Map<string, string>();
  for (const { name, value } of values) {
    const path = `input.formValues.${name}`;
    if (!form.some((field) => field.name === name)) {
      problems.push({ path, message: `is not a field of this offering's form (${form.map((field) => field.name).join(', ') || 'it has none'})` });
    } else if (given.has(name)) {
      problems.push({ path, message: 'is given twice' });
    }
    given.set(name, value);
  }
  for (const field of form) {
    const value = given.get(field.name)?.trim();
    const path = `input.formValues.${field.name}`;
    if (value === undefined || value === '') {
      if (field.required) problems.push({ path, message: `is required (${field.label})` });
      continue;
    }
    const checked = typedValue(field, value);
    if (checked === null) problems.push({ path, message: TYPE_MESSAGES[field.type] });
    else clean[field.name] = checked;
  }
  if (problems.length > 0) throw badUserInput(problems.map((p) => `${p.path}: ${p.message}`).join('; '), { fields: problems });
  return clean;
}

const TYPE_MESSAGES: Record<SampleFormField['type'], string> = {
  TEXT: 'must be at most 500 characters, without control characters',
  NUMBER: 'must be a number such as 12 or 0.5',
  BOOLEAN: 'must be true or false',
  DATE: 'must be a date such as 2026-12-31',
};

/** The value as its field's type, or null when it is not one. */
function typedValue(field: SampleFormField, value: string): string | number | boolean | null {
  switch (field.type) {
    case 'TEXT':
      return value.length <= 500 && !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(value) ? value : null;
    case 'NUMBER':
      return /^-?\d{1,12}(\.\d{1,6})?$/.test(value) ? Number(value) : null;
    case 'BOOLEAN':
      return value === 'true' ? true : value === 'false' ? false : null;
    case 'DATE': {
      const parsed = new Date(`${value}T00:00:00Z`);
      return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value) ? value : null;
    }
    default: {
      const unhandled: never = field.type;
      return unhandled;
    }
  }
}

/** The largest report kept, in bytes: it travels base64 in one request under the gateway's body limit. */
export const REPORT_MAX_BYTES = 512 * 1024;

/** The report types kept, each told by its first bytes as well as its name: a file is what it says it is. */
const REPORT_TYPES: readonly { contentType: string; magic: Buffer; extension: RegExp }[] = [
  { contentType: 'application/pdf', magic: Buffer.from('%PDF-'), extension: /\.pdf$/i },
  { contentType: 'image/png', magic: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), extension: /\.png$/i },
  { contentType: 'image/jpeg', magic: Buffer.from([0xff, 0xd8, 0xff]), extension: /\.jpe?g$/i },
];

/** Decodes and checks a report: size, declared type, its bytes and file name agreeing with that type. */
export function checkReport(report: { fileName: string; contentType: string; contentBase64: string }): Buffer {
  const fileName = report.fileName.trim();
  if (!/^[^\\/:*?"<>|\u0000-\u001F]{1,200}$/.test(fileName)) {
    throw badUserInput('report.fileName: must be 1–200 characters without / \\ : * ? " < > | or control characters.', { argument: 'report.fileName' });
  }
  const type = REPORT_TYPES.find((candidate) => candidate.contentType === report.contentType);
  if (!type) {
    throw badUserInput(`report.contentType: must be one of ${REPORT_TYPES.map((t) => t.contentType).join(', ')}.`, { argument: 'report.contentType' });
  }
  if (!type.extension.test(fileName)) {
    throw badUserInput(`report.fileName: a ${type.contentType} report needs a matching file name ending.`, { argument: 'report.fileName' });
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(report.contentBase64) || report.contentBase64.length % 4 !== 0) {
    throw badUserInput('report.contentBase64: must be the file in standard base64.', { argument: 'report.contentBase64' });
  }
  if (report.contentBase64.length > Math.ceil(REPORT_MAX_BYTES / 3) * 4) {
    throw badUserInput(`report.contentBase64: a report may be at most ${REPORT_MAX_BYTES / 1024} KiB.`, { argument: 'report.contentBase64', maxBytes: REPORT_MAX_BYTES });
  }
  const content = Buffer.from(report.contentBase64, 'base64');
  if (content.length === 0) throw badUserInput('report.contentBase64: the report is empty.', { argument: 'report.contentBase64' });
  if (!content.subarray(0, type.magic.length).equals(type.magic)) {
    throw badUserInput(`report.contentBase64: the file is not a ${type.contentType} document (its first bytes say otherwise).`, { argument: 'report.contentBase64' });
  }
  return content;
}
