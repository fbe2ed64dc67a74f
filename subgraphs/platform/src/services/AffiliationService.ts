import { badUserInput, forbidden, isUuid, notFound, unauthenticated, type AffiliationKind, type Viewer } from '../../../../shared/src';
import type { UserEntity } from '../entities/UserEntity';
import type { UserRepository } from '../repositories/UserRepository';

const MAX_INSTITUTION = 200;

/** A person's institution and affiliation kind, as platform admins record them (verified). */
export class AffiliationService {
  constructor(private readonly users: UserRepository) {}

  async set(viewer: Viewer | null, userId: string, institution: string | null, affiliation: AffiliationKind | null): Promise<UserEntity> {
    if (!viewer) throw unauthenticated('Sign in as a platform admin to set affiliations.');
    if (!viewer.roles.includes('platform_admin')) throw forbidden('Only platform admins can set a person\'s affiliation.');
    if (!isUuid(userId)) throw badUserInput('userId must be a user id (a UUID, as User.id returns).', { argument: 'userId' });
    const name = institution?.trim() || null;
    if (name !== null && name.length > MAX_INSTITUTION) {
      throw badUserInput(`institution must be at most ${MAX_INSTITUTION} characters.`, { argument: 'institution' });
    }
    const updated = await this.users.updateAffiliation(userId, name, affiliation, true);
    if (!updated) throw notFound(`No user has the id ${userId}.`, { argument: 'userId' });
    return updated;
  }
}
