import type { DataSource } from 'typeorm';

/** What a begun sign-in must match when the provider sends the person back. */
export interface SignInState {
  readonly stateHash: string;
  readonly provider: string;
  readonly purpose: 'sign_in' | 'link';
  /** The signed-in user who asked to link, for `link`. */
  readonly userId: string | null;
  readonly redirectUri: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  readonly expiresAt: Date;
}

/** Rows deleted at most per purge. */
const PURGE_BATCH = 100;

/** Every query on external_sign_in_states. */
export class SignInStateRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(state: SignInState): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO external_sign_in_states (state_hash, provider, purpose, user_id, redirect_uri, nonce, code_verifier, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [state.stateHash, state.provider, state.purpose, state.userId, state.redirectUri, state.nonce, state.codeVerifier, state.expiresAt],
    );
  }

  /** Removes and returns the state with this hash: of two completions with one state, only one gets it. */
  async take(stateHash: string): Promise<SignInState | null> {
    const [rows] = (await this.dataSource.query(
      `DELETE FROM external_sign_in_states WHERE state_hash = $1
       RETURNING state_hash, provider, purpose, user_id, redirect_uri, nonce, code_verifier, expires_at`,
      [stateHash],
    )) as [Record<string, unknown>[], number];
    const row = rows[0];
    if (!row) return null;
    return {
      stateHash: row['state_hash'] as string,
      provider: row['provider'] as string,
      purpose: row['purpose'] as SignInState['purpose'],
      userId: row['user_id'] as string | null,
      redirectUri: row['redirect_uri'] as string,
      nonce: row['nonce'] as string,
      codeVerifier: row['code_verifier'] as string,
      expiresAt: row['expires_at'] as Date,
    };
  }

  /** Deletes a batch of states nobody completed, so abandoned sign-ins do not pile up. */
  async purgeExpired(now: Date): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM external_sign_in_states WHERE state_hash IN (
         SELECT state_hash FROM external_sign_in_states WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [now, PURGE_BATCH],
    );
  }
}
