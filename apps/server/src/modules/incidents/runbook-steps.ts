import type { LocalizedText } from '@yunwei/contracts/i18n';
import { RUNBOOK_STEP_KIND_NAMES, type RunbookStep } from '@yunwei/contracts/incident-runbooks';

/** A step that cannot be run as written: the field and what to do, in both languages. */
export interface StepProblem {
  field: string;
  message: LocalizedText;
}

/**
 * What the schema cannot say about steps: a command has argv (and only a command), a check names a check
 * (and only a check). `checkExists` answers which named checks exist. Fields are named as the body has them
 * (`body.steps.3.argv`).
 */
export function stepProblem(steps: readonly RunbookStep[], checkExists: (id: string) => boolean, base = 'body.steps'): StepProblem | null {
  for (const [i, s] of steps.entries()) {
    const at = `${base}.${i}`;
    if (s.kind === 'command') {
      if (!s.argv?.length || !s.argv[0]?.trim()) {
        return { field: `${at}.argv`, message: { zh: `第 ${i + 1} 步是远程命令：请填写要执行的程序及参数`, en: `step ${i + 1} is a command: give the program and its arguments` } };
      }
      if (!s.argv[0].startsWith('/')) {
        return { field: `${at}.argv.0`, message: { zh: `第 ${i + 1} 步：程序须写绝对路径（如 /bin/df），代理不经 shell 查找程序`, en: `step ${i + 1}: give the program's absolute path (e.g. /bin/df): the agent does not search a PATH` } };
      }
    } else if (s.argv !== undefined) {
      return { field: `${at}.argv`, message: { zh: `第 ${i + 1} 步不是远程命令，不能带命令参数`, en: `step ${i + 1} is not a command: it has no argv` } };
    }
    if (s.kind === 'check') {
      if (!s.checkId) {
        return { field: `${at}.checkId`, message: { zh: `第 ${i + 1} 步是重新检查：请选择要重新运行的检查`, en: `step ${i + 1} re-runs a check: choose the check` } };
      }
      if (!checkExists(s.checkId)) {
        return { field: `${at}.checkId`, message: { zh: `第 ${i + 1} 步的检查不存在`, en: `the check of step ${i + 1} does not exist` } };
      }
    } else if (s.checkId !== undefined) {
      return { field: `${at}.checkId`, message: { zh: `第 ${i + 1} 步不是重新检查，不能指定检查`, en: `step ${i + 1} does not re-run a check: it names no check` } };
    }
  }
  return null;
}

/** Steps as stored: trimmed, without empty optional texts. */
export function normaliseSteps(steps: readonly RunbookStep[]): RunbookStep[] {
  return steps.map((s) => ({
    kind: s.kind,
    title: s.title.trim(),
    instructions: s.instructions?.trim() ?? '',
    expected: s.expected?.trim() ?? '',
    ...(s.kind === 'check' && s.checkId ? { checkId: s.checkId } : {}),
    ...(s.kind === 'command' && s.argv ? { argv: [...s.argv] } : {}),
    ...(s.timeoutSeconds ? { timeoutSeconds: s.timeoutSeconds } : {}),
  }));
}

/** The next version label: 1.0 first, then 1.1, 1.2 … after the newest one. */
export function nextLabel(latest: { major: number; minor: number } | null): { label: string; major: number; minor: number } {
  if (!latest) {
    return { label: '1.0', major: 1, minor: 0 };
  }
  const minor = Number(latest.minor) + 1;
  return { label: `${Number(latest.major)}.${minor}`, major: Number(latest.major), minor };
}

type Inline = { type: 'text'; text: string; marks?: { type: string }[] };
const text = (t: string, bold = false): Inline => ({ type: 'text', text: t, ...(bold ? { marks: [{ type: 'bold' }] } : {}) });
const paragraph = (...content: Inline[]) => ({ type: 'paragraph', content: content.filter((c) => c.text !== '') });

/**
 * The 故障处理方案 document filed in the library: what it is for, then the steps as a numbered list, each with
 * its kind, instructions, the command or check and the expected result (ProseMirror JSON, as the library stores).
 */
export function runbookDocumentBody(r: { name: string; description: string; label: string; scope: string[]; steps: readonly RunbookStep[]; checkNames: Map<string, string> }) {
  const items = r.steps.map((s) => {
    const lines = [paragraph(text(`${s.title}`, true), text(`（${RUNBOOK_STEP_KIND_NAMES[s.kind].zh}）`))];
    if (s.instructions) {
      lines.push(paragraph(text(s.instructions)));
    }
    if (s.kind === 'command' && s.argv) {
      lines.push(paragraph(text('执行命令：', true), { type: 'text', text: s.argv.join(' '), marks: [{ type: 'code' }] }));
    }
    if (s.kind === 'check' && s.checkId) {
      lines.push(paragraph(text('重新运行检查：', true), text(r.checkNames.get(s.checkId) ?? s.checkId)));
    }
    if (s.expected) {
      lines.push(paragraph(text('预期结果：', true), text(s.expected)));
    }
    return { type: 'listItem', content: lines };
  });
  return {
    type: 'doc' as const,
    content: [
      { type: 'heading', attrs: { level: 1 }, content: [text(`故障处理方案：${r.name}（${r.label}）`)] },
      ...(r.description ? [paragraph(text(r.description))] : []),
      ...(r.scope.length ? [paragraph(text('适用范围：', true), text(r.scope.join('；')))] : []),
      { type: 'heading', attrs: { level: 2 }, content: [text('处理步骤')] },
      { type: 'orderedList', attrs: { start: 1 }, content: items },
    ],
  };
}
