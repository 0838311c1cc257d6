import { describe, expect, it } from 'vitest';
import { escapeHtml, markdownToHtml } from './markdown-html.js';
import { truncateBytes } from './robot-text.js';

describe('markdownToHtml (e-mail bodies)', () => {
  it('renders headings, lists, emphasis, code, links and quotes', () => {
    expect(markdownToHtml('### 磁盘告警\n\n**db1** 的 `/data` *很满*\n第二行\n\n- 一\n- 二\n\n1. first\n\n> 说明\n\n[查看](https://yunwei.example.cn/a?b=1&c=2)')).toBe(
      [
        '<h4>磁盘告警</h4>',
        '<p><strong>db1</strong> 的 <code>/data</code> <em>很满</em><br>第二行</p>',
        '<ul>',
        '<li>一</li>',
        '<li>二</li>',
        '</ul>',
        '<ol>',
        '<li>first</li>',
        '</ol>',
        '<blockquote>说明</blockquote>',
        '<p><a href="https://yunwei.example.cn/a?b=1&amp;c=2">查看</a></p>',
      ].join('\n'),
    );
  });

  it('escapes markup from labels and annotations, and keeps only http(s) links', () => {
    const html = markdownToHtml('<img src=x onerror=alert(1)> "q" & \'a\'\n\n[x](javascript:alert(1)) [y](https://a.cn/"onmouseover="x)');
    expect(html).not.toMatch(/<img|<a href="javascript/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &quot;q&quot; &amp; &#39;a&#39;');
    expect(html).toContain('[x](javascript:alert(1))');
    expect(html).not.toContain('"onmouseover="');
    expect(escapeHtml('<&>')).toBe('&lt;&amp;&gt;');
  });
});

describe('truncateBytes (robot size limits)', () => {
  it('keeps short text, cuts long text on a character boundary under the byte limit', () => {
    expect(truncateBytes('告警', 100)).toBe('告警');
    const cut = truncateBytes('告'.repeat(100), 50);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(50);
    expect(cut).toMatch(/^告+\n…$/);
  });
});
