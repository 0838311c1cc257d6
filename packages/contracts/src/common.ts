import Type, { type Static } from 'typebox';

/** UUIDv7 text ids of entities. */
export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9a-fA-F-]{1,64}$' });
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });
export type IdParams = Static<typeof IdParams>;

/** The last millisecond of year 9999 (UTC): later "dates" are typing errors or attacks (`1e400`). */
export const MAX_EPOCH_MS = 253_402_300_799_999;

/** Epoch milliseconds, UTC. */
export const Epoch = Type.Integer({ minimum: 0, maximum: MAX_EPOCH_MS });

/** A person-facing name: trimmed, no control characters. */
export const Name = (maxLength = 100) => Type.String({ minLength: 1, maxLength, pattern: '^[^\\u0000-\\u001f]*[^\\s\\u0000-\\u001f][^\\u0000-\\u001f]*$' });

export const LocalizedTextSchema = Type.Object({ zh: Type.String(), en: Type.String() });

export const PageQuery = {
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  q: Type.Optional(Type.String({ maxLength: 200 })),
};

export const Page = <T extends Type.TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer() });

export interface PageOf<T> {
  items: T[];
  total: number;
}

export const Ok = Type.Object({ ok: Type.Literal(true) });
