import { badUserInput, unauthenticated } from '../../../../shared/src';
import type { UserEntity } from '../entities/UserEntity';
import type { PartnerClientRepository } from '../repositories/PartnerClientRepository';
import type { UserRepository } from '../repositories/UserRepository';
import { dummyHash, verifyPassword } from './passwords';
import type { IssuedToken, TokenIssuer } from './TokenIssuer';

const MAX_CREDENTIAL_LENGTH = 256;
const WRONG_LOGIN = 'Wrong username or password.';

/** Login for people and the client-credentials grant for partner systems. */
export class AuthService {
  constructor(
    private readonly users: UserRepository,
    private readonly clients: PartnerClientRepository,
    private readonly tokens: TokenIssuer,
  ) {}

  async login(username: string, password: string): Promise<IssuedToken & { user: UserEntity }> {
    checkCredentialShape('username', username);
    checkCredentialShape('password', password);
    const user = await this.users.findByUsername(username.trim().toLowerCase());
    // Hash even for unknown names, so timing does not reveal which accounts exist.
    const matches = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
    if (!user || !matches || user.disabled) throw unauthenticated(WRONG_LOGIN);
    const issued = this.tokens.issue({
      sub: user.id,
      roles: user.roles,
      name: user.displayName,
      ...(user.homeProvince ? { province: user.homeProvince } : {}),
    });
    return { ...issued, user };
  }

  async issueClientToken(clientId: string, clientSecret: string): Promise<IssuedToken & { scopes: string[] }> {
    checkCredentialShape('clientId', clientId);
    checkCredentialShape('clientSecret', clientSecret);
    const client = await this.clients.findByClientId(clientId.trim());
    const matches = await verifyPassword(clientSecret, client?.secretHash ?? (await dummyHash()));
    if (!client || !matches || client.disabled) throw unauthenticated('Unknown client or wrong client secret.');
    const issued = this.tokens.issue({ sub: `client:${client.clientId}`, roles: ['partner'], scope: client.scopes.join(' '), name: client.name });
    return { ...issued, scopes: client.scopes };
  }
}

function checkCredentialShape(argument: string, value: string): void {
  if (value.length === 0 || value.length > MAX_CREDENTIAL_LENGTH) {
    throw badUserInput(`${argument} must be 1–${MAX_CREDENTIAL_LENGTH} characters.`, { argument });
  }
}
