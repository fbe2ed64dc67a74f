import { z } from 'zod';
import { PARTNER_SCOPES, input, isPlaceholderSecret } from '../../../../shared/src';

/** What operators' commands accept for accounts and partner clients, with messages a person can act on. */
export const accountInput = {
  /** Sign-in names and client ids: lower case, as the demo's (`sc.admin`, `demo-partner`), at most the column's 64. */
  name: z.string().trim().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, {
    message: 'expected 2–64 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit, e.g. sc.registry-admin',
  }),
  displayName: input.text(1, 120),
  /** Not a placeholder copied from an example, and long enough that the login throttle, not the password, is the weak point. */
  password: z
    .string()
    .min(12, { message: 'must be at least 12 characters' })
    .max(256, { message: 'must be at most 256 characters' })
    .refine((password) => !isPlaceholderSecret(password), { message: 'is a placeholder ("change-me"); choose a real password' }),
  scopes: z
    .array(z.enum(PARTNER_SCOPES, { message: `expected scopes among ${PARTNER_SCOPES.join(', ')}` }))
    .min(1, { message: `expected at least one of ${PARTNER_SCOPES.join(', ')}` })
    .transform((scopes) => [...new Set(scopes)].sort()),
};
