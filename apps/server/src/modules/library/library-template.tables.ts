import type { LibraryTemplatePeriod } from '@yunwei/contracts/library-templates';

/** A document template: a body with data placeholders, per document type (several per type). */
export interface DocumentTemplateTable {
  id: string;
  type_code: string;
  name: string;
  description: string;
  /** The editor's ProseMirror JSON with `{{provider}}` / `{{provider.field}}` placeholders in its text. */
  body: string;
  default_period: LibraryTemplatePeriod;
  /** `all`, `businessSystem:<id>` or `ciClass:<code>`. */
  default_scope: string;
  /** The built-in template's stable key (seeded once, never deleted); null for the organisation's own. */
  seed_key: string | null;
  created_at: number;
  created_by: string | null;
  updated_at: number;
  updated_by: string | null;
}

declare module '../../db/schema.js' {
  interface Database {
    document_template: DocumentTemplateTable;
  }
}
