import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  badUserInput, conflict, decodeOwnGlobalId, encodeGlobalId, forbidden, formatChinaTime, input, isUuid, notFound, parseInput,
  DAY_MS, type ProvinceDefinition, type Viewer,
} from '../../../../shared/src';
import type { AuditRepository } from '../audit/AuditRepository';
import type { Admission, AdmissionRequest, BookingPolicy } from '../bookings/bookingPolicy';
import type { CallerHeaders } from '../domain/askGateway';
import { requireKnownPerson, type PlatformPeople } from '../domain/platformPeople';
import type { ProvinceAdmin } from '../domain/provinceAdmin';
import type { InstrumentEntity } from '../instruments/InstrumentEntity';
import type { InstrumentRepository } from '../instruments/InstrumentRepository';
import type { UnitOfWork } from '../persistence/UnitOfWork';
import { DEFAULT_BOOKING_RULES, type BookingRules } from './BookingRulesEntity';
import type { PartnerQualificationChecker } from './PartnerQualificationChecker';
import { QualificationEntity } from './QualificationEntity';
import type { QualificationRepository } from './QualificationRepository';

/** The repositories a qualification change works with, in its transaction. */
export interface QualificationTransaction {
  readonly qualifications: QualificationRepository;
  readonly instruments: Pick<InstrumentRepository, 'lockForShare'>;
  readonly audit: AuditRepository;
}

/** A suspension of self-booking in force, as the no-show rules keep it (usage feature). */
export interface SuspensionLookup {
  activeOf(userId: string, at: Date): Promise<{ endsAt: Date; noShows: number } | null>;
}

const MINUTES_MAX = 43_200; // 30 days
const QUALIFICATION_YEARS_MAX = 5;

const rulesSchema = z
  .object({
    trainingRequired: z.boolean(),
    trainingInfo: input.optionalText(500),
    minLeadMinutes: input.int(0, MINUTES_MAX),
    cancellationDeadlineMinutes: input.int(0, MINUTES_MAX),
    autoConfirmQualified: z.boolean(),
    acceptsPartnerQualifications: z.boolean(),
  })
  .refine((rules) => !rules.trainingRequired || rules.trainingInfo !== null, {
    message: 'say how to get trained (whom to contact, when sessions are) when training is required',
    path: ['trainingInfo'],
  });

const grantSchema = z
  .object({
    userId: z.string().refine(isUuid, { message: 'must be a platform user id (a UUID, as User.id)' }),
    instrumentId: z.string().nullish(),
    model: input.optionalText(200),
    expiresAt: z.date(),
    note: input.optionalText(500),
  })
  .refine((grant) => (grant.instrumentId ? 1 : 0) + (grant.model ? 1 : 0) === 1, {
    message: 'give either instrumentId (one instrument) or model (every instrument of that model), not both',
    path: ['instrumentId'],
  });

/**
 * Qualifications (who may operate an instrument themselves, after training) and each instrument's booking rules,
 * both decided by the province that owns the instrument. As a BookingPolicy it judges each booking request.
 */
export class QualificationService implements BookingPolicy {
  constructor(
    private readonly province: ProvinceDefinition,
    private readonly partner: ProvinceDefinition,
    private readonly repositories: { readonly qualifications: QualificationRepository; readonly instruments: Pick<InstrumentRepository, 'findByIds'> },
    private readonly unitOfWork: UnitOfWork<QualificationTransaction>,
    private readonly suspensions: SuspensionLookup,
    private readonly partnerQualifications: PartnerQualificationChecker,
    /** The platform, asked whether the trained person has an account. */
    private readonly people: PlatformPeople,
  ) {}

  async rulesOf(instrumentId: string): Promise<BookingRules> {
    const [rules] = await this.repositories.qualifications.rulesOf([instrumentId]);
    return rules ?? DEFAULT_BOOKING_RULES;
  }

  /** An admin sets every rule of one instrument at once. */
  async setRules(admin: ProvinceAdmin, instrumentGlobalId: string, raw: unknown): Promise<InstrumentEntity> {
    const rules = parseInput(rulesSchema, raw, 'rules');
    const instrumentId = decodeOwnGlobalId(instrumentGlobalId, 'instrument', this.province).localId;
    return this.unitOfWork.run(async (tx) => {
      const instrument = await tx.instruments.lockForShare(instrumentId);
      if (!instrument) throw this.unknownInstrument(instrumentGlobalId);
      await tx.qualifications.saveRules(instrumentId, rules);
      await tx.audit.record(admin, { action: 'instrument.booking_rules_set', entityType: 'instrument', entityId: instrumentGlobalId, details: rules });
      return instrument;
    });
  }

  /** An admin records that a person was trained on one instrument or on a model. */
  async grant(admin: ProvinceAdmin, raw: unknown, now = new Date()): Promise<QualificationEntity> {
    const grant = parseInput(grantSchema, raw, 'input');
    if (grant.expiresAt.getTime() <= now.getTime()) throw badUserInput('expiresAt must be in the future.', { argument: 'input.expiresAt' });
    if (grant.expiresAt.getTime() > now.getTime() + QUALIFICATION_YEARS_MAX * 366 * DAY_MS) {
      throw badUserInput(`A qualification lasts at most ${QUALIFICATION_YEARS_MAX} years; renew it by granting a new one.`, { argument: 'input.expiresAt' });
    }
    const instrumentId = grant.instrumentId ? decodeOwnGlobalId(grant.instrumentId, 'instrument', this.province).localId : null;
    await requireKnownPerson(this.people, grant.userId.toLowerCase(), {
      argument: 'input.userId', record: 'qualification', reason: 'UNKNOWN_USER',
      hint: 'Give the trained person\'s platform user id (User.id; they find it as me { id }).',
    });
    const qualification = Object.assign(new QualificationEntity(), {
      id: randomUUID(),
      userId: grant.userId.toLowerCase(),
      instrumentId,
      model: grant.model,
      issuedAt: now,
      expiresAt: grant.expiresAt,
      issuedBy: admin.subject,
      note: grant.note,
      revokedAt: null,
      revokedReason: null,
    });
    return this.unitOfWork.run(async (tx) => {
      if (instrumentId && !(await tx.instruments.lockForShare(instrumentId))) throw this.unknownInstrument(grant.instrumentId!);
      await tx.qualifications.insert(qualification);
      await tx.audit.record(admin, {
        action: 'qualification.granted',
        entityType: 'qualification',
        entityId: qualification.id,
        details: { userId: qualification.userId, instrumentId: grant.instrumentId ?? null, model: grant.model, expiresAt: grant.expiresAt.toISOString() },
      });
      return qualification;
    });
  }

  async revoke(admin: ProvinceAdmin, id: string, rawReason: unknown, now = new Date()): Promise<QualificationEntity> {
    const reason = parseInput(input.text(3, 500), rawReason, 'reason');
    if (!isUuid(id)) throw notFound(`No ${this.province.nameEn} qualification has the id ${id}.`, { argument: 'id' });
    return this.unitOfWork.run(async (tx) => {
      const qualification = await tx.qualifications.lockForUpdate(id);
      if (!qualification) throw notFound(`No ${this.province.nameEn} qualification has the id ${id}.`, { argument: 'id' });
      if (qualification.revokedAt) throw conflict(`This qualification was already revoked on ${formatChinaTime(qualification.revokedAt)}.`);
      await tx.qualifications.revoke(id, now, reason);
      await tx.audit.record(admin, { action: 'qualification.revoked', entityType: 'qualification', entityId: id, details: { reason } });
      return Object.assign(qualification, { revokedAt: now, revokedReason: reason });
    });
  }

  /** The viewer's own qualifications valid now; with `model`, only those on that model (what the partner asks). */
  async validOf(viewer: Viewer, model: string | null | undefined, now = new Date()): Promise<QualificationEntity[]> {
    // Qualifications are people's; a partner client's subject is no platform user id.
    if (viewer.kind !== 'user' || !isUuid(viewer.subject)) return [];
    if (model != null) return this.repositories.qualifications.validFor(viewer.subject, now, { model });
    return (await this.repositories.qualifications.ofUser(viewer.subject)).filter((q) => isValid(q, now));
  }

  async admit({ viewer, instrument, start, selfOperated, now, caller }: AdmissionRequest): Promise<Admission> {
    const suspension = await this.suspensions.activeOf(viewer.subject, now);
    if (suspension) {
      throw forbidden(
        `You may not book ${this.province.nameEn} instruments yourself until ${formatChinaTime(suspension.endsAt)}: ` +
          `${suspension.noShows} of your bookings were not checked in to. Ask the instrument's centre to book for you meanwhile.`,
        { reason: 'BOOKING_SUSPENDED', until: suspension.endsAt.toISOString() },
      );
    }
    const rules = await this.rulesOf(instrument.id);
    if (start.getTime() - now.getTime() < rules.minLeadMinutes * 60_000) {
      throw badUserInput(
        `This instrument must be booked at least ${describeMinutes(rules.minLeadMinutes)} ahead; the earliest start now is ${formatChinaTime(new Date(now.getTime() + rules.minLeadMinutes * 60_000))}.`,
        { argument: 'start', reason: 'LEAD_TIME', minLeadMinutes: rules.minLeadMinutes },
      );
    }
    if (!selfOperated || (!rules.trainingRequired && !rules.autoConfirmQualified)) return { autoConfirm: false, note: null };
    const qualifiedBy = await this.qualifiedBy(viewer, instrument, rules, now, caller);
    if (rules.trainingRequired && !qualifiedBy) {
      throw forbidden(
        `"${instrument.name}" may be operated only by people trained on it, and you hold no valid qualification for it` +
          `${rules.acceptsPartnerQualifications && instrument.model ? ` (nor a ${this.partner.nameEn} one on model ${instrument.model})` : ''}. ` +
          `To get trained: ${rules.trainingInfo!.replace(/[.。]\s*$/, '')}. Or ask for the instrument to be operated for you (selfOperated: false).`,
        { reason: 'TRAINING_REQUIRED', trainingInfo: rules.trainingInfo },
      );
    }
    return qualifiedBy && rules.autoConfirmQualified
      ? { autoConfirm: true, note: `Confirmed at once: the requester holds a ${qualifiedBy} qualification.` }
      : { autoConfirm: false, note: null };
  }

  async cancellationDeadlineMinutes(instrumentId: string): Promise<number> {
    return (await this.rulesOf(instrumentId)).cancellationDeadlineMinutes;
  }

  /** Whose qualification covers the viewer: this province's own (instrument or model), else the partner's on the model when recognised. */
  private async qualifiedBy(viewer: Viewer, instrument: InstrumentEntity, rules: BookingRules, now: Date, caller: CallerHeaders): Promise<string | null> {
    const own = await this.repositories.qualifications.validFor(viewer.subject, now, { instrumentId: instrument.id, model: instrument.model });
    if (own.length > 0) return this.province.nameEn;
    if (rules.acceptsPartnerQualifications && instrument.model && (await this.partnerQualifications.holdsValid(instrument.model, caller))) {
      return this.partner.nameEn;
    }
    return null;
  }

  private unknownInstrument(id: string) {
    return notFound(`No ${this.province.nameEn} instrument has the id ${id}.`, { argument: 'instrumentId' });
  }

  globalIdOf(qualification: QualificationEntity): string | null {
    return qualification.instrumentId ? encodeGlobalId(this.province, 'instrument', qualification.instrumentId) : null;
  }
}

export function isValid(qualification: Pick<QualificationEntity, 'revokedAt' | 'expiresAt' | 'issuedAt'>, now: Date): boolean {
  return !qualification.revokedAt && qualification.expiresAt.getTime() > now.getTime() && qualification.issuedAt.getTime() <= now.getTime();
}

function describeMinutes(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440} day${minutes === 1440 ? '' : 's'}`;
  if (minutes % 60 === 0) return `${minutes / 60} hour${minutes === 60 ? '' : 's'}`;
  return `${minutes} minutes`;
}
