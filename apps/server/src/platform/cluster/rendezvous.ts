/** FNV-1a, 32 bits: fast, stable across processes and releases (ownership must not move on upgrade). */
function fnv1a(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  }
  // A final avalanche (murmur3's fmix32): FNV alone leaves similar ids with similar scores.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Which node owns a piece of work (rendezvous, or highest-random-weight, hashing): every node computes
 * the same answer from the same member list, keys spread evenly, and when a node leaves only its own
 * keys move (to the others, evenly); when one joins it takes an even share from each.
 */
export function ownerOf(key: string, nodes: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = -1;
  for (const node of nodes) {
    const score = fnv1a(`${node}\u0000${key}`);
    if (score > bestScore || (score === bestScore && best !== undefined && node < best)) {
      best = node;
      bestScore = score;
    }
  }
  return best;
}
