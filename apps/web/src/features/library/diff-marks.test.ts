import { describe, expect, it } from 'vitest';
import { changedParts } from './diff-marks';

describe('changedParts', () => {
  it('finds the inserted middle of a changed paragraph', () => {
    expect(changedParts('重启 nginx 服务', '重启 nginx 与 php-fpm 服务')).toEqual({ prefix: '重启 nginx ', left: '', right: '与 php-fpm ', suffix: '服务' });
  });

  it('keeps a replaced word whole and never overlaps prefix and suffix', () => {
    expect(changedParts('aaa', 'aa')).toEqual({ prefix: 'aa', left: 'a', right: '', suffix: '' });
    expect(changedParts('检查磁盘', '检查内存')).toEqual({ prefix: '检查', left: '磁盘', right: '内存', suffix: '' });
  });

  it('counts characters outside the BMP as one', () => {
    expect(changedParts('a😀b', 'a😁b')).toEqual({ prefix: 'a', left: '😀', right: '😁', suffix: 'b' });
  });
});
