import { randomUUID } from 'node:crypto';
import {
  badUserInput, conflict, decodeGlobalId, decodeOwnGlobalId, encodeGlobalId, notFound, parseInput, provinceByCode, type ProvinceDefinition,
} from '../../../../shared/src';
import type { ProvinceAdmin } from '../domain/provinceAdmin';
import { differences, pickKeys, sameValue, withArgument, type FieldChanges } from '../domain/registryChanges';
import { reasonSchema } from '../domain/registryInput';
import { labInputSchema, labUpdateSchema } from './labInput';
import type { AuditRepository } from '../audit/AuditRepository';
import type { OutboxRepository } from '../events/OutboxRepository';
import type { InstrumentRepository } from '../instruments/InstrumentRepository';
import type { UnitOfWork } from '../persistence/UnitOfWork';
import type { LabEntity } from './LabEntity';
import type { LabRepository } from './LabRepository';
import type { CallerHeaders, PartnerInstrumentChecker } from './PartnerInstrumentChecker';

/** The repositories a lab change works with, in its transaction. */
export interface LabTransaction {
  readonly labs: LabRepository;
  readonly instruments: Pick<InstrumentRepository, 'inServiceOfLab'>;
  readonly audit: AuditRepository;
  readonly events: Pick<OutboxRepository, 'record'>;
  /** Offerings, named by what closing a lab needs: withdrawing its service centre's (their ids). */
  readonly offerings: { withdrawOf(provider: { labId: string }): Promise<string[]> };
}

/**
 * A province admin's management of the province's own labs. Every change and
 * its audit record commit in one unit of work; checks that need the partner
 * (joint labs' partner instruments) run before it opens, so nothing is
 * written when the partner cannot answer.
 */
export class LabAdminService {
  constructor(
    private readonly unitOfWork: UnitOfWork<LabTransaction>,
    private readonly province: ProvinceDefinition,
    private readonly partner: ProvinceDefinition,
    private readonly labs: LabRepository,
    private readonly partnerInstruments: PartnerInstrumentChecker,
  ) {}

  async createLab(admin: ProvinceAdmin, raw: unknown, caller: CallerHeaders): Promise<LabEntity> {
    const input = parseInput(labInputSchema(this.province, this.partner), raw, 'input');
    const partnerIds = this.partnerInstrumentIds(input.partnerInstrumentIds);
    await this.checkPartnerInstruments(partnerIds, caller);
    return this.unitOfWork.run(async (tx) => {
      const id = randomUUID();
      const { partnerInstrumentIds: _given, partnerProvince, ...fields } = input;
      const lab = await tx.labs.insert(
        {
          id,
          // The code column is the seeds' stable key; a lab made here takes one from its id, so it is unique by construction.
          code: `${this.province.idPrefix.toUpperCase()}-LAB-${id.replace(/-/g, '').toUpperCase()}`,
          ...fields,
          jointlyBuilt: partnerProvince !== null,
          partnerProvince: partnerProvince === null ? null : provinceByCode(partnerProvince).key,
          retiredAt: null,
          retiredReason: null,
        },
        partnerIds,
      );
      await tx.audit.record(admin, {
        action: 'lab.created',
        entityType: 'lab',
        entityId: encodeGlobalId(this.province, 'lab', id),
        details: { ...input, partnerInstrumentIds: partnerIds },
      });
      tx.events.record({ type: 'lab.created', entityId: encodeGlobalId(this.province, 'lab', id), state: { retired: false } });
      return lab;
    });
  }

  async updateLab(admin: ProvinceAdmin, id: string, raw: unknown, caller: CallerHeaders): Promise<LabEntity> {
    const labId = decodeOwnGlobalId(id, 'lab', this.province).localId;
    const update = parseInput(labUpdateSchema, raw, 'input');
    const partnerIds = update.partnerInstrumentIds && this.partnerInstrumentIds(update.partnerInstrumentIds);
    const [existing] = await this.labs.findByIds([labId]);
    if (!existing) throw notFound(`No ${this.province.nameEn} lab has the id ${id}.`, { id });

    if (partnerIds) {
      // Only ids the lab does not list yet are asked about: keeping a checked link needs no answer from the partner.
      const [linked = []] = await this.labs.partnerInstrumentIds([labId]);
      const known = new Set(linked);
      await this.checkPartnerInstruments(partnerIds.filter((partnerId) => !known.has(partnerId)), caller);
    }
    return this.unitOfWork.run(async (tx) => {
      const current = await tx.labs.lock(labId, 'update');
      if (!current) throw notFound(`No ${this.province.nameEn} lab has the id ${id}.`, { id });
      if (current.retiredAt) throw conflict(`The lab ${id} is retired and can no longer be changed.`, { id });
      const joint = [update.partnerInstitutions, partnerIds].some((list) => list !== undefined && list.length > 0);
      if (joint && !current.jointlyBuilt) {
        throw badUserInput(`The lab ${id} is not a joint lab: partner institutions and instruments belong to labs built with ${this.partner.nameEn}.`, {
          argument: 'input',
        });
      }

      const { partnerInstrumentIds: _given, ...fieldUpdate } = update;
      const changes = Object.fromEntries(Object.entries(fieldUpdate).filter(([, value]) => value !== undefined)) as Partial<LabEntity>;
      const diff: FieldChanges = differences(current, changes);
      if (partnerIds) {
        const [before = []] = await tx.labs.partnerInstrumentIds([labId]);
        if (!sameValue(before, partnerIds)) {
          await tx.labs.replacePartnerInstruments(labId, partnerIds);
          diff['partnerInstrumentIds'] = { from: before, to: partnerIds };
        }
      }
      if (Object.keys(diff).length === 0) return current;

      const lab = await tx.labs.update(labId, pickKeys(changes, Object.keys(diff)));
      await tx.audit.record(admin, { action: 'lab.updated', entityType: 'lab', entityId: encodeGlobalId(this.province, 'lab', labId), details: diff });
      tx.events.record({ type: 'lab.updated', entityId: encodeGlobalId(this.province, 'lab', labId), state: { retired: false } });
      return lab;
    });
  }

  async retireLab(admin: ProvinceAdmin, id: string, rawReason: unknown, now = new Date()): Promise<LabEntity> {
    const labId = decodeOwnGlobalId(id, 'lab', this.province).localId;
    const reason = parseInput(reasonSchema, rawReason, 'reason');
    return this.unitOfWork.run(async (tx) => {
      // Locked for update: an instrument being put in the lab holds a share lock, so it is seen by the check below.
      const current = await tx.labs.lock(labId, 'update');
      if (!current) throw notFound(`No ${this.province.nameEn} lab has the id ${id}.`, { id });
      if (current.retiredAt) throw conflict(`The lab ${id} is already retired.`, { id });
      const inService = await tx.instruments.inServiceOfLab(labId);
      if (inService.length > 0) {
        const instrumentIds = inService.map((instrument) => this.instrumentGlobalId(instrument.id));
        throw conflict(
          `The lab ${id} still has ${inService.length} instrument(s) in service: ${inService.map((i) => i.name).join(', ')}. ` +
            'Move them to another lab, put them in maintenance or retire them first.',
          { id, instrumentIds },
        );
      }
      const lab = await tx.labs.update(labId, { retiredAt: now, retiredReason: reason });
      // A closed lab's service centre offers nothing: its offerings are withdrawn with it.
      const withdrawn = await tx.offerings.withdrawOf({ labId });
      await tx.audit.record(admin, {
        action: 'lab.retired',
        entityType: 'lab',
        entityId: encodeGlobalId(this.province, 'lab', labId),
        details: {
          reason, retiredAt: now.toISOString(),
          offeringsWithdrawn: withdrawn.map((offeringId) => encodeGlobalId(this.province, 'offering', offeringId)),
        },
      });
      tx.events.record({ type: 'lab.retired', entityId: encodeGlobalId(this.province, 'lab', labId), state: { retired: true } });
      return lab;
    });
  }


  private instrumentGlobalId(localId: string): string {
    return encodeGlobalId(this.province, 'instrument', localId);
  }


  private partnerInstrumentIds(ids: readonly string[]): string[] {
    const canonical = ids.map((id) => this.partnerInstrumentId(id));
    if (new Set(canonical).size !== canonical.length) {
      throw badUserInput('input.partnerInstrumentIds: must not list an instrument twice.', { argument: 'input.partnerInstrumentIds' });
    }
    return canonical;
  }

  /** A partner instrument's global id, canonical (lower-case UUID), or BAD_USER_INPUT saying which province's ids belong here. */
  private partnerInstrumentId(id: string): string {
    let decoded;
    try {
      decoded = decodeGlobalId(id, 'instrument');
    } catch (error) {
      throw withArgument(error, 'input.partnerInstrumentIds');
    }
    if (decoded.province.key !== this.partner.key) {
      throw badUserInput(
        `input.partnerInstrumentIds: "${id}" is a ${decoded.province.nameEn} instrument; a joint lab lists ${this.partner.nameEn}'s instruments ` +
          `(ids starting "${this.partner.idPrefix}:instrument:") and puts its own in the lab with the instrument's labId.`,
        { argument: 'input.partnerInstrumentIds', id },
      );
    }
    return encodeGlobalId(this.partner, 'instrument', decoded.localId);
  }

  private async checkPartnerInstruments(ids: readonly string[], caller: CallerHeaders): Promise<void> {
    const unknown = await this.partnerInstruments.findUnknown(ids, caller);
    if (unknown.length > 0) {
      throw badUserInput(
        `input.partnerInstrumentIds: ${this.partner.nameEn} has no instrument with the id(s) ${unknown.join(', ')}; ` +
          `check them with instrument(id:) or ${this.partner.key} { instruments }. Nothing was saved.`,
        { argument: 'input.partnerInstrumentIds', unknownIds: unknown },
      );
    }
  }

}
