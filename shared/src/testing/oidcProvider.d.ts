// oidc-provider ships no types; demoOidcProvider.ts types the little of it that it uses.
declare module 'oidc-provider';
