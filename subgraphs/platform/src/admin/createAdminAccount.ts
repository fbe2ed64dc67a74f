import { randomUUID } from 'node:crypto';
import { parseInput, withMigratedDatabase, type ProvinceKey, type Role } from '../../../../shared/src';
import { UserEntity } from '../entities/UserEntity';
import { createPlatformDataSource } from '../platformDataSource';
import { UserRepository } from '../repositories/UserRepository';
import { hashPassword } from '../services/passwords';
import { accountInput } from './accountInput';

export interface AdminAccountRequest {
  readonly username: string;
  readonly displayName: string;
  /** A province admin's province; none: a platform admin. */
  readonly province: ProvinceKey | null;
  readonly password: string;
}

export type AdminAccountResult = { readonly status: 'created' | 'unchanged'; readonly username: string; readonly roles: readonly Role[] };

/**
 * Creates the first admin account of a fresh platform database: a platform admin, or a province admin
 * of one province. Idempotent: an account of that name with the same role and province is left as it is
 * (its password too); one with another role or province is refused, never changed.
 */
export async function createAdminAccount(databaseUrl: string, request: AdminAccountRequest): Promise<AdminAccountResult> {
  const username = parseInput(accountInput.name, request.username, 'username');
  const displayName = parseInput(accountInput.displayName, request.displayName, 'display name');
  const password = parseInput(accountInput.password, request.password, 'password');
  const roles: Role[] = [request.province ? 'province_admin' : 'platform_admin'];
  const account = Object.assign(new UserEntity(), {
    id: randomUUID(), username, displayName, homeProvince: request.province, roles, passwordHash: await hashPassword(password), disabled: false,
  });
  return withMigratedDatabase('platform', createPlatformDataSource(databaseUrl, 1), async (dataSource) => {
    const users = new UserRepository(dataSource);
    if ((await users.insertMissing([account])) === 1) return { status: 'created', username, roles };
    const existing = (await users.findByUsername(username))!;
    const same = existing.homeProvince === request.province && existing.roles.length === 1 && existing.roles[0] === roles[0];
    if (!same) {
      const what = `${existing.roles.join(', ')}${existing.homeProvince ? ` of ${existing.homeProvince}` : ''}`;
      throw new Error(`an account named ${username} already exists as ${what}; nothing was changed (choose another username)`);
    }
    return { status: 'unchanged', username, roles };
  });
}
