/** Fen in digits as yuan with two decimals, exactly: no floating point on the way. */
export function fenToYuan(fen: string): string {
  const padded = fen.padStart(3, '0');
  return `${padded.slice(0, -2).replace(/^0+(?=\d)/, '')}.${padded.slice(-2)}`;
}
