import { describe, expect, it } from 'vitest';
import type { RunbookStep } from '@yunwei/contracts/incident-runbooks';
import { nextLabel, normaliseSteps, runbookDocumentBody, stepProblem } from './runbook-steps.js';

const known = (id: string) => id === 'c1';

describe('runbook steps', () => {
  it('names the step field that cannot be run as written', () => {
    const ok: RunbookStep[] = [{ kind: 'manual', title: '确认' }, { kind: 'command', title: '磁盘', argv: ['/bin/df', '-h'] }, { kind: 'check', title: '端口', checkId: 'c1' }];
    expect(stepProblem(ok, known)).toBeNull();
    expect(stepProblem([{ kind: 'manual', title: 'a' }, { kind: 'command', title: 'b' }], known)?.field).toBe('body.steps.1.argv');
    expect(stepProblem([{ kind: 'command', title: 'b', argv: ['df'] }], known)?.field).toBe('body.steps.0.argv.0');
    expect(stepProblem([{ kind: 'manual', title: 'b', argv: ['/bin/df'] }], known)?.field).toBe('body.steps.0.argv');
    expect(stepProblem([{ kind: 'check', title: 'b' }], known)?.field).toBe('body.steps.0.checkId');
    expect(stepProblem([{ kind: 'check', title: 'b', checkId: 'nope' }], known)?.message.zh).toContain('不存在');
    expect(stepProblem([{ kind: 'manual', title: 'b', checkId: 'c1' }], known)?.field).toBe('body.steps.0.checkId');
  });

  it('labels versions 1.0, 1.1, 1.2 …', () => {
    expect(nextLabel(null)).toEqual({ label: '1.0', major: 1, minor: 0 });
    expect(nextLabel({ major: 1, minor: 0 })).toEqual({ label: '1.1', major: 1, minor: 1 });
    expect(nextLabel({ major: 2, minor: 9 }).label).toBe('2.10');
  });

  it('renders the steps as a numbered list with the command, the check and the expected result', () => {
    const steps = normaliseSteps([{ kind: 'command', title: ' 磁盘 ', argv: ['/bin/df', '-h'], expected: '低于 90%' }, { kind: 'check', title: '端口', checkId: 'c1' }]);
    const body = runbookDocumentBody({ name: '磁盘告警', description: '', label: '1.0', scope: ['故障类型 服务器'], steps, checkNames: new Map([['c1', '业务端口']]) });
    const list = body.content.find((n) => n.type === 'orderedList') as { content: unknown[] };
    expect(list.content).toHaveLength(2);
    const text = JSON.stringify(body);
    expect(text).toContain('/bin/df -h');
    expect(text).toContain('预期结果：');
    expect(text).toContain('业务端口');
    expect(text).toContain('故障处理方案：磁盘告警（1.0）');
  });
});
