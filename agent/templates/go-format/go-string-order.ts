/**
 * Go orders strings by their UTF-8 bytes (`a < b`, `sort.Strings`, fmt's and encoding/json's
 * sorted map keys, text/template's `range` over a map). UTF-8 byte order is code point order,
 * which differs from JavaScript's UTF-16 code unit order for characters above U+FFFF: a
 * surrogate (U+D800–DFFF) sorts below U+E000–U+FFFF in UTF-16 but its code point sorts above.
 */

/** Moves surrogates above U+E000–U+FFFF so code units compare like code points. */
function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

/** Negative, zero or positive like Go's `strings.Compare`. */
export function compareGoStrings(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const left = a.charCodeAt(index);
    const right = b.charCodeAt(index);
    if (left !== right) return codePointRank(left) - codePointRank(right);
  }
  return a.length - b.length;
}

/** The own enumerable keys of `map`, in the order Go prints and ranges over a map's keys. */
export function goSortedKeys(map: object): string[] {
  return Object.keys(map).sort(compareGoStrings);
}
