import { describe, expect, it } from 'vitest';
import { nextLabels } from './version-labels';

describe('nextLabels', () => {
  it('offers the next minor and major version', () => {
    expect(nextLabels('v1.0')).toEqual({ minor: 'v1.1', major: 'v2.0' });
    expect(nextLabels('v2.9')).toEqual({ minor: 'v2.10', major: 'v3.0' });
  });

  it('offers nothing for a label it does not understand', () => {
    expect(nextLabels('draft')).toEqual({ minor: '', major: '' });
  });
});
