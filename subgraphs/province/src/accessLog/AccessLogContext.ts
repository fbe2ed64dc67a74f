import { authorizedResolvers } from '../../../../shared/src';
import type { ProvinceRequest } from '../ProvinceRequest';
import type { AccessLogService } from './AccessLogService';
import type { AccessRecorder } from './AccessRecorder';

/** What the access-log resolvers and plugin read from a request. */
export interface AccessLogContext extends ProvinceRequest {
  readonly services: { readonly accessLog: AccessLogService };
  /** This request's reads and writes, written when it ends. */
  readonly accessLog: AccessRecorder;
}

/** Resolvers of access-log fields the SDL guards, handed the checked viewer. */
export const authorized = authorizedResolvers<AccessLogContext>();
