import { Resvg } from '@resvg/resvg-js';
import type { WrittenDocument } from '@yunwei/contracts/documents';

/*
 * A document with every kind of block, for the renderers' tests: marked runs, headings of level 3 and
 * 4, bullet and numbered lists, code, a PNG larger than the text width, a small JPEG, and a section
 * headed '' (text before a library document's first heading).
 */

/** A PNG of `width` × `height` pixels: a blue block on white. */
export function pngBase64(width: number, height: number): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="${width}" height="${height}" fill="#ffffff"/><rect x="${width / 10}" y="${height / 10}" width="${(width * 8) / 10}" height="${(height * 8) / 10}" fill="#1677ff"/></svg>`;
  return new Resvg(svg).render().asPng().toString('base64');
}

/** A JPEG of 17 × 24 pixels (a page of a PDF, made with pdftoppm). */
export const SMALL_JPEG = '/9j/4AAQSkZJRgABAQEAAgACAAD/2wBDABsSFBcUERsXFhceHBsgKEIrKCUlKFE6PTBCYFVlZF9VXVtqeJmBanGQc1tdhbWGkJ6jq62rZ4C8ybqmx5moq6T/2wBDARweHigjKE4rK06kbl1upKSkpKSkpKSkpKSkpKSkpKSkpKSkpKSkpKSkpKSkpKSkpKSkpKSkpKSkpKSkpKSkpKT/wAARCAAYABEDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDom35YhiR2Ax/WlCsOrn9P8Kz9Rv5bW4CRqhBUHkH/ABqCHVp5Jo0KR4ZgDgH1+tbKjNrmRm6kU7G1RRRWJoU57dpZ2ZtmMDG6IN+tNW02sGHl5ByMQgf0oop8zFZF6iiikM//2Q==';

export const RICH_TEXT = '这是粗体和斜体 italic 以及下划线、删除线与代码 npm run build 命令。';

export function richDocument(): WrittenDocument {
  return {
    title: '富文本测试文档',
    facts: [['作者', 'admin']],
    sections: [
      { heading: '', blocks: [{ kind: 'paragraph', text: '正文之前的前言文字。' }] },
      {
        heading: '一、格式',
        blocks: [
          {
            kind: 'paragraph',
            text: RICH_TEXT,
            runs: [
              { text: '这是' },
              { text: '粗体', bold: true },
              { text: '和' },
              { text: '斜体 italic', italic: true },
              { text: ' 以及' },
              { text: '下划线', underline: true },
              { text: '、' },
              { text: '删除线', strike: true },
              { text: '与代码 ' },
              { text: 'npm run build', code: true },
              { text: ' 命令。' },
            ],
          },
          { kind: 'heading', level: 3, text: '1.1 三级标题' },
          { kind: 'list', ordered: true, items: ['备份数据库', '停止服务', '升级软件包'] },
          { kind: 'heading', level: 4, text: '四级标题：回退' },
          { kind: 'list', ordered: true, items: ['恢复备份', '启动服务'] },
          { kind: 'list', items: ['无序条目'] },
          { kind: 'code', text: 'server {\n    listen 80;  # 监听端口\n    root /var/www;\n}', language: 'nginx' },
        ],
        sections: [
          {
            heading: '1.1 图片',
            blocks: [
              { kind: 'image', mime: 'image/png', data: pngBase64(800, 400), width: 800, height: 400, caption: '图 1 宽于正文的图片' },
              { kind: 'image', mime: 'image/jpeg', data: SMALL_JPEG, width: 17, height: 24, caption: '图 2 小图片' },
              { kind: 'paragraph', text: '图片之后的文字。' },
            ],
          },
        ],
      },
    ],
  };
}
