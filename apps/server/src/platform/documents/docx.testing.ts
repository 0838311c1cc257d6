import JSZip from 'jszip';
import mammoth from 'mammoth';

/** The text of a .docx as Word shows it (paragraphs and table cells, one per line), for tests. */
export async function docxText(body: Buffer): Promise<string> {
  const { value } = await mammoth.extractRawText({ buffer: body });
  return value.replace(/\n{2,}/g, '\n').trim();
}

/** The parts of a .docx (a ZIP): their names, and a part's text (`word/document.xml`, …). */
export async function docxParts(body: Buffer): Promise<{ names: string[]; text: (name: string) => Promise<string> }> {
  const zip = await JSZip.loadAsync(body);
  return {
    names: Object.keys(zip.files),
    text: async (name) => {
      const file = zip.file(name);
      if (!file) {
        throw new Error(`no part ${name} in the .docx`);
      }
      return file.async('string');
    },
  };
}
