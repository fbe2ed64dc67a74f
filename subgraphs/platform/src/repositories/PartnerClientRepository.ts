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

  async insertMissing(clients: readonly PartnerClientEntity[]): Promise<void> {
    await this.clients.createQueryBuilder().insert().values([...clients]).orIgnore().execute();
  }
}
