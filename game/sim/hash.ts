/**
 * The shared 32-bit integer hash. `contracts/libraries/SurgeHash.sol` computes the same values with masking.
 * All values are unsigned 32-bit integers held in JS numbers.
 */

/** A strong 32-bit mixer ("lowbias32", C. Wellons): every input bit affects every output bit. */
export function mix32(v: number): number {
  v = (v ^ (v >>> 16)) >>> 0;
  v = Math.imul(v, 0x7feb352d) >>> 0;
  v = (v ^ (v >>> 15)) >>> 0;
  v = Math.imul(v, 0x846ca68b) >>> 0;
  return (v ^ (v >>> 16)) >>> 0;
}

/** Hash of a cell: `(y << 8) ^ x` is unique for x < 16 and y < 2^23, and the two seed words key it. */
export function cellHash(k0: number, k1: number, x: number, y: number): number {
  return mix32((k0 ^ mix32((k1 ^ (y << 8) ^ x) >>> 0)) >>> 0);
}

/** Salt that separates the coarse "rich zone" hash from the cell hash. */
export const ZONE_SALT = 0xa5000000;

/** Hash of the 4x4 zone a cell lies in; one zone in eight is rich in gold. */
export function zoneHash(k0: number, k1: number, x: number, y: number): number {
  return mix32((k1 ^ mix32((k0 ^ ZONE_SALT ^ ((y >>> 2) << 8) ^ (x >>> 2)) >>> 0)) >>> 0);
}

/** Running digest of world changes: folds one 32-bit word into the digest. */
export function fold(digest: number, word: number): number {
  return mix32((digest ^ word) >>> 0);
}
