/** Sample indices in (series, ts, arrival) order (sort-order.mjs). */
export function sortOrder(sid: Float64Array, ts: Float64Array): ArrayLike<number>;
