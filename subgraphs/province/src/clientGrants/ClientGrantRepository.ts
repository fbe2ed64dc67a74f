import { In, type EntityManager, type Repository } from 'typeorm';
import { ClientGrantEntity } from './ClientGrantEntity';

/** Every query on client_grants. */
export class ClientGrantRepository {
  private readonly grants: Repository<ClientGrantEntity>;

  constructor(manager: EntityManager) {
    this.grants = manager.getRepository(ClientGrantEntity);
  }

  find(clientId: string): Promise<ClientGrantEntity | null> {
    return this.grants.findOneBy({ clientId });
  }

  /** The grants of several clients, in one query; clients without one are absent. */
  findMany(clientIds: readonly string[]): Promise<ClientGrantEntity[]> {
    return this.grants.findBy({ clientId: In([...new Set(clientIds)]) });
  }

  findAll(): Promise<ClientGrantEntity[]> {
    return this.grants.find({ order: { clientId: 'ASC' } });
  }

  /** Sets a client's grant, replacing any it had. */
  async put(grant: ClientGrantEntity): Promise<void> {
    await this.grants.upsert(grant, ['clientId']);
  }

  /** Inserts grants that do not exist yet (seeds); existing ones stay as they are. */
  async insertMissing(grants: readonly ClientGrantEntity[]): Promise<void> {
    if (grants.length > 0) await this.grants.createQueryBuilder().insert().values([...grants]).orIgnore().execute();
  }

  /** Whether there was a grant to remove. */
  async remove(clientId: string): Promise<boolean> {
    return ((await this.grants.delete({ clientId })).affected ?? 0) > 0;
  }
}
