import { createDataSource } from '../../../shared/src';
import { PartnerClientEntity } from './entities/PartnerClientEntity';
import { UserEntity } from './entities/UserEntity';
import { CreateIdentity1764000000000 } from './migrations/1764000000000-CreateIdentity';

/** The platform's own database: identities only, never province data. */
export function createPlatformDataSource(url: string, poolSize: number) {
  return createDataSource({
    url,
    poolSize,
    applicationName: 'shuangcheng-platform',
    entities: [UserEntity, PartnerClientEntity],
    migrations: [CreateIdentity1764000000000],
    migrationsTableName: 'platform_migrations',
  });
}
