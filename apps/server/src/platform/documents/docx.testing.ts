import mammoth from 'mammoth';

/** The text of a .docx as Word shows it (paragraphs and table cells, one per line), for tests. */
export async function docxText(body: Buffer): Promise<string> {
  const { value } = await mammoth.extractRawText({ buffer: body });
  return value.replace(/\n{2,}/g, '\n').trim();
}
