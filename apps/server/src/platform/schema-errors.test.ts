import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { RuleCreate, RuleTarget } from '@yunwei/contracts/alerting';
import { AuditExportQuery } from '@yunwei/contracts/audit';
import { UserCreate } from '@yunwei/contracts/identity';
import { ScrapeTargetCreate } from '@yunwei/contracts/monitoring';
import { fieldProblemsOf } from './schema-errors.js';

const ajv = new Ajv({ allErrors: true, strict: false });

/** The field problems the API would answer for `data` against `schema`, as validation.ts compiles it. */
function problems(schema: object, data: unknown) {
  const validate = ajv.compile(schema);
  expect(validate(data)).toBe(false);
  return fieldProblemsOf('body', validate.errors ?? []);
}

const metricSpec = { kind: 'metric', selector: 'up', reducer: 'avg', windowSeconds: 60, op: '>', thresholds: { warning: 1 } };

describe('schema errors in words', () => {
  it('names the rule of a pattern, not the regular expression, in both languages', () => {
    expect(problems(ScrapeTargetCreate, { name: 'node', url: 'ftp://files.example' })).toEqual([
      { field: 'body.url', message: { zh: '必须是 http 或 https 地址', en: 'must be an http or https URL' } },
    ]);
  });

  it('says what is missing, too long or unknown, one message per field', () => {
    const found = problems(UserCreate, { username: 'x', displayName: 'a'.repeat(65), password: 'Secret-123456', evil: 1 });
    expect(found).toEqual(
      expect.arrayContaining([
        { field: 'body.username', message: { zh: '至少 2 个字符', en: 'must be at least 2 characters' } },
        { field: 'body.displayName', message: { zh: '最多 64 个字符', en: 'must be at most 64 characters' } },
        { field: 'body.evil', message: { zh: '不是可识别的字段', en: 'is not a known field' } },
      ]),
    );
    expect(new Set(found.map((p) => p.field)).size).toBe(found.length);
    expect(problems(ScrapeTargetCreate, { url: 'http://a.example/metrics' })).toEqual([{ field: 'body.name', message: { zh: '必填', en: 'is required' } }]);
  });

  it('lists the allowed values of a union of constants once, not one error per branch', () => {
    expect(problems(AuditExportQuery, { format: 'pdf' })).toEqual([{ field: 'body.format', message: { zh: '必须是以下之一：csv、xlsx', en: 'must be one of: csv, xlsx' } }]);
  });

  it('reports the error of the tagged-union branch the value meant, at its own field', () => {
    const wrongWindow = problems(RuleCreate, { name: 'CPU', spec: { ...metricSpec, windowSeconds: 0 } });
    expect(wrongWindow).toEqual([{ field: 'body.spec.windowSeconds', message: { zh: '不能小于 1', en: 'must be at least 1' } }]);
    const unknownKind = problems(RuleTarget, { kind: 'everything' });
    expect(unknownKind).toHaveLength(1);
    expect(unknownKind[0]!.field).toBe('body.kind');
    expect(unknownKind[0]!.message.en).toBe('must be one of: all, hosts, ci, class, business');
    expect(unknownKind[0]!.message.zh).toBe('必须是以下之一：all、hosts、ci、class、business');
  });

  it('names the types a nullable field takes', () => {
    expect(problems(UserCreate, { username: 'wang', displayName: 'Wang', password: 'Secret-123456', orgUnitId: 5 })).toEqual([
      { field: 'body.orgUnitId', message: { zh: '必须是文本或 null', en: 'must be a string or null' } },
    ]);
  });
});
