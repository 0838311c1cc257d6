/**
 * The database's tables, as Kysely sees them. Each module adds its own tables by declaration
 * merging in its `*.tables.ts`, so a module's schema lives in its folder:
 *
 *   declare module '../../db/schema.js' { interface Database { user: UserTable } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Database {}
