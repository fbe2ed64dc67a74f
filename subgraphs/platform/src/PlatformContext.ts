import type DataLoader from 'dataloader';
import type { RequestIdentity } from '../../../shared/src';
import type { UserEntity } from './entities/UserEntity';
import type { AuthService } from './services/AuthService';

/** Per-request state: who asks, and loaders that batch this request's look-ups. */
export interface PlatformContext extends RequestIdentity {
  readonly loaders: {
    readonly users: DataLoader<string, UserEntity | null>;
  };
  readonly services: {
    readonly auth: AuthService;
  };
}
