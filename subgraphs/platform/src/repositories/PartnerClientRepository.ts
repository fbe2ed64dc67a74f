import type { DataSource, Repository } from 'typeorm';
import { PartnerClientEntity } from '../entities/PartnerClientEntity';

/** Every query on the partner_clients table. */
export class PartnerClientRepository {
  private readonly clients: Repository<PartnerClientEntity>;

  constructor(dataSource: DataSource) {
    this.clients = dataSource.getRepository(PartnerClientEntity);
  }

  findByClientId(clientId: string): Promise<PartnerClientEntity | null> {
    return this.clients.findOneBy({ clientId });
  }

  /** Inserts clients that do not exist yet; existing ones are left exactly as they are. Answers how many were inserted. */
  async insertMissing(clients: readonly PartnerClientEntity[]): Promise<number> {
    // Only rows PostgreSQL inserted come back from `ON CONFLICT DO NOTHING … RETURNING` (TypeORM's identifiers list every id given).
    const result = await this.clients.createQueryBuilder().insert().values([...clients]).orIgnore().returning('id').execute();
    return (result.raw as unknown[]).length;
  }
}
