import { describe, expect, it } from 'vitest';
import { boundNumbers, MAX_REQUEST_INTEGER, MAX_REQUEST_NUMBER } from './number-bounds.js';

describe('boundNumbers', () => {
  it('bounds every integer and number, keeps tighter bounds, and leaves the original alone', () => {
    const schema = {
      type: 'object',
      properties: {
        a: { type: 'integer' },
        b: { type: 'integer', minimum: 0, maximum: 10 },
        c: { type: 'number' },
        d: { anyOf: [{ type: 'number', maximum: Infinity }, { type: 'null' }] },
        e: { type: 'string', enum: ['x'], default: 'x' },
      },
    };
    const copy = boundNumbers(schema);
    expect(copy.properties.a).toEqual({ type: 'integer', minimum: -MAX_REQUEST_INTEGER, maximum: MAX_REQUEST_INTEGER });
    expect(copy.properties.b).toEqual({ type: 'integer', minimum: 0, maximum: 10 });
    expect(copy.properties.c).toEqual({ type: 'number', minimum: -MAX_REQUEST_NUMBER, maximum: MAX_REQUEST_NUMBER });
    expect(copy.properties.d.anyOf[0]).toEqual({ type: 'number', minimum: -MAX_REQUEST_NUMBER, maximum: MAX_REQUEST_NUMBER });
    expect(copy.properties.e).toEqual(schema.properties.e);
    expect(schema.properties.a).toEqual({ type: 'integer' });
  });
});
