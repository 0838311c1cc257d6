import { LIBRARY_SUBJECT_TYPE } from '@yunwei/contracts/library';
import { documentProvidersOf } from '../../platform/documents/providers.js';
import type { ModuleContext } from '../../platform/module.js';
import { approvalsOf } from '../approvals/runtime.js';
import { LibraryFiles } from './library-files.js';
import { LibraryReviewReminders } from './library-reminders.js';
import { LibraryTemplateGenerator } from './library-template-generate.js';
import { LibraryTemplatesService } from './library-template.service.js';
import { LibraryTypesService } from './library-types.service.js';
import { LibraryService } from './library.service.js';

/** The document library of one app; its versions are a subject type of the approval engine. */
export class LibraryRuntime {
  readonly types: LibraryTypesService;
  readonly documents: LibraryService;
  readonly files: LibraryFiles;
  readonly reminders: LibraryReviewReminders;
  readonly templates: LibraryTemplatesService;
  readonly generator: LibraryTemplateGenerator;

  constructor(ctx: ModuleContext) {
    const approvals = approvalsOf(ctx);
    this.types = new LibraryTypesService(ctx);
    this.documents = new LibraryService(ctx, approvals);
    this.files = new LibraryFiles(this.documents, ctx);
    this.reminders = new LibraryReviewReminders(ctx);
    this.templates = new LibraryTemplatesService(ctx, documentProvidersOf(ctx));
    this.generator = new LibraryTemplateGenerator(ctx, this.templates, this.documents, documentProvidersOf(ctx));
    approvals.register(LIBRARY_SUBJECT_TYPE, {
      title: { zh: '文档', en: 'Document' },
      onOutcome: (trx, versionId, outcome, request) => this.documents.settle(trx, versionId, outcome, request),
    });
  }
}

const runtimes = new WeakMap<ModuleContext, LibraryRuntime>();

export function libraryOf(ctx: ModuleContext): LibraryRuntime {
  let runtime = runtimes.get(ctx);
  if (!runtime) {
    runtime = new LibraryRuntime(ctx);
    runtimes.set(ctx, runtime);
  }
  return runtime;
}
