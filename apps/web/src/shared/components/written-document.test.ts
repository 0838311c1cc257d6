import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { WrittenDocument } from '@yunwei/contracts/documents';
import { WrittenDocumentView } from './written-document.js';

const PNG = 'iVBORw0KGgo='; // the bytes do not matter to the markup

const doc: WrittenDocument = {
  title: '富文本',
  facts: [],
  sections: [
    { heading: '', blocks: [{ kind: 'paragraph', text: '前言。' }] },
    {
      heading: '一、格式',
      blocks: [
        { kind: 'paragraph', text: '粗体与代码 ls -l。', runs: [{ text: '粗体', bold: true }, { text: '与代码 ' }, { text: 'ls -l', code: true }, { text: '。' }] },
        { kind: 'heading', level: 3, text: '三级标题' },
        { kind: 'heading', level: 4, text: '四级标题' },
        { kind: 'list', ordered: true, items: ['第一步', '第二步'] },
        { kind: 'code', text: 'server {\n    listen 80;\n}', language: 'nginx' },
        { kind: 'image', mime: 'image/png', data: PNG, width: 800, height: 400, caption: '图 1 示意' },
      ],
    },
  ],
};

describe('the written document on screen', () => {
  const html = renderToStaticMarkup(createElement(WrittenDocumentView, { doc }));

  it('shows marks, headings, numbered lists, code and pictures', () => {
    expect(html).toContain('<strong>粗体</strong>');
    expect(html).toMatch(/<code[^>]*>ls -l<\/code>/);
    expect(html).toMatch(/<h6[^>]*>三级标题<\/h6>/);
    expect(html).toMatch(/role="heading" aria-level="7"[^>]*>四级标题/);
    expect(html).toMatch(/<ol[^>]*><li>.*第一步.*<\/li><li>.*第二步.*<\/li><\/ol>/);
    expect(html).toMatch(/<pre[^>]*data-language="nginx"[^>]*><code>server \{\n {4}listen 80;\n\}<\/code><\/pre>/);
    expect(html).toMatch(/<img src="data:image\/png;base64,iVBORw0KGgo=" width="800" height="400" alt="图 1 示意" style="max-width:100%;height:auto"\/>/);
    expect(html).toMatch(/<figcaption>.*图 1 示意.*<\/figcaption>/);
  });

  it('shows no heading for a section headed by nothing', () => {
    expect(html.match(/<h4/g)).toHaveLength(1);
    expect(html.indexOf('前言。')).toBeLessThan(html.indexOf('一、格式'));
  });
});
