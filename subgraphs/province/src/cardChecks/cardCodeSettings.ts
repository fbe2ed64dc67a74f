/** How long a holder's code lives (`CARD_CODE_TTL_SECONDS`, default 300). */
export interface CardCodeSettings {
  readonly ttlSeconds: number;
}

/** In a module of its own, so that reading the configuration loads no entity (and so no TypeORM). */
export const DEFAULT_CARD_CODE_SETTINGS: CardCodeSettings = Object.freeze({ ttlSeconds: 300 });
