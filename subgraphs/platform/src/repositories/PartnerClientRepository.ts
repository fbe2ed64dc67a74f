import { In, type DataSource, type Repository } from 'typeorm';
import { alignByKey } from '../../../../shared/src';
import { PartnerClientEntity } from '../entities/PartnerClientEntity';

/** What a change to a client may set; each change is one UPDATE of one row, so it is whole or not at all. */
export type PartnerClientChange = Partial<
  Pick<
    PartnerClientEntity,
    'secretHash' | 'previousSecretHash' | 'previousSecretValidUntil' | 'secretRotatedAt' | 'suspendedAt' | 'suspensionReason' | 'expiresAt'
  >
>;

/** Every query on the partner_clients table. */
export class PartnerClientRepository {
  private readonly clients: Repository<PartnerClientEntity>;

  constructor(dataSource: DataSource) {
    this.clients = dataSource.getRepository(PartnerClientEntity);
  }

  findByClientId(clientId: string): Promise<PartnerClientEntity | null> {
    return this.clients.findOneBy({ clientId });
  }

  /** One query for any number of client ids; the result follows the order of `clientIds`, null where missing. */
  async findByClientIds(clientIds: readonly string[]): Promise<(PartnerClientEntity | null)[]> {
    return alignByKey(clientIds, await this.clients.findBy({ clientId: In([...clientIds]) }), (row) => row.clientId);
  }

  findAll(): Promise<PartnerClientEntity[]> {
    return this.clients.find({ order: { clientId: 'ASC' } });
  }

  /** Inserts clients that do not exist yet; existing ones are left exactly as they are. Answers how many were inserted. */
  async insertMissing(clients: readonly PartnerClientEntity[]): Promise<number> {
    // Only rows PostgreSQL inserted come back from `ON CONFLICT DO NOTHING … RETURNING` (TypeORM's identifiers list every id given).
    const result = await this.clients.createQueryBuilder().insert().values([...clients]).orIgnore().returning('id').execute();
    return (result.raw as unknown[]).length;
  }

  /** Changes one client and answers it as it now is; null when there is no such client. */
  async update(clientId: string, change: PartnerClientChange): Promise<PartnerClientEntity | null> {
    const result = await this.clients.update({ clientId }, change);
    return result.affected ? this.findByClientId(clientId) : null;
  }
}
