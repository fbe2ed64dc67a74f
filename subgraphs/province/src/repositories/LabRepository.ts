import { In, IsNull, type DataSource, type Repository } from 'typeorm';
import { LabEntity } from '../entities/LabEntity';
import { LabPartnerInstrumentEntity } from '../entities/LabPartnerInstrumentEntity';
import { alignByKey, groupByKey } from '../../../../shared/src';

/** Every query on labs and the partner instruments joint labs share. */
export class LabRepository {
  private readonly labs: Repository<LabEntity>;
  private readonly partnerLinks: Repository<LabPartnerInstrumentEntity>;

  constructor(dataSource: DataSource) {
    this.labs = dataSource.getRepository(LabEntity);
    this.partnerLinks = dataSource.getRepository(LabPartnerInstrumentEntity);
  }

  async findByIds(ids: readonly string[]): Promise<(LabEntity | null)[]> {
    return alignByKey(ids, await this.labs.findBy({ id: In([...ids]) }), (row) => row.id);
  }

  /** Open labs; retired ones leave the list but stay readable by id. */
  list(jointOnly: boolean): Promise<LabEntity[]> {
    const open = { retiredAt: IsNull() };
    return this.labs.find({ where: jointOnly ? { ...open, jointlyBuilt: true } : open, order: { name: 'ASC' } });
  }

  /** Global ids of the partner instruments of several labs, in one query. */
  async partnerInstrumentIds(labIds: readonly string[]): Promise<string[][]> {
    const rows = await this.partnerLinks.find({ where: { labId: In([...labIds]) }, order: { position: 'ASC' } });
    return groupByKey(labIds, rows, (row) => row.labId).map((links) => links.map((link) => link.partnerInstrumentId));
  }
}
