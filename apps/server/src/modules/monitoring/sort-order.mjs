// Plain JavaScript, shared by IngestService (main thread) and the sample writer's worker thread, which
// has no TypeScript loader. Types: sort-order.d.mts.

/**
 * Sample indices in (series, ts, arrival) order. Usually one native numeric sort of composite keys
 * (series · span + ts offset) · n + index, exact while they stay below 2^53 (a batch spanning less than
 * minutes of time over up to a million series); otherwise a comparator sort.
 *
 * @param {Float64Array} sid
 * @param {Float64Array} ts
 * @returns {ArrayLike<number>}
 */
export function sortOrder(sid, ts) {
  const n = sid.length;
  let minTs = Infinity;
  let maxTs = -Infinity;
  let maxSid = 0;
  for (let i = 0; i < n; i++) {
    minTs = Math.min(minTs, ts[i]);
    maxTs = Math.max(maxTs, ts[i]);
    maxSid = Math.max(maxSid, sid[i]);
  }
  const span = maxTs - minTs + 1;
  if ((maxSid + 1) * span * n <= Number.MAX_SAFE_INTEGER) {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      keys[i] = (sid[i] * span + (ts[i] - minTs)) * n + i;
    }
    keys.sort();
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      order[i] = keys[i] % n;
    }
    return order;
  }
  const order = Array.from({ length: n }, (_, k) => k);
  return order.sort((a, b) => sid[a] - sid[b] || ts[a] - ts[b] || a - b);
}
