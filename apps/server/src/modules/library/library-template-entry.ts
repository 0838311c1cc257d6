import type { LibraryDocumentDetail } from '@yunwei/contracts/library';
import type { LibraryTemplateGenerate } from '@yunwei/contracts/library-templates';
import type { Actor } from '../../platform/actor.js';
import type { ModuleContext } from '../../platform/module.js';
import { libraryOf } from './library.runtime.js';

/**
 * A document generated from template `templateId` as `actor` (their permissions and data scope, their
 * language), without HTTP: for scheduled generation and other modules. See LibraryTemplateGenerator.
 */
export function generateFromTemplate(ctx: ModuleContext, actor: Actor, templateId: string, input: LibraryTemplateGenerate): Promise<LibraryDocumentDetail> {
  return libraryOf(ctx).generator.generate(actor, templateId, input);
}
