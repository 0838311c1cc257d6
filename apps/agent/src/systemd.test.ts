import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_CREDENTIAL_REFUSED, unitText, writeUnit } from './systemd.ts';

describe('systemd unit', () => {
  it('runs the agent with its config, restarts on failure but not when the credential is refused', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'yw-unit-'));
    try {
      const file = writeUnit(dir, { node: '/usr/bin/node', bin: '/opt/yunwei agent/bin/yunwei-agent.mjs', config: '/etc/yunwei-agent/config.json', intervalSeconds: 30 });
      const text = readFileSync(file, 'utf8');
      expect(path.basename(file)).toBe('yunwei-agent.service');
      expect(text).toContain('ExecStart=/usr/bin/node --lite-mode --no-expose-wasm --max-semi-space-size=1 "/opt/yunwei agent/bin/yunwei-agent.mjs" run --config /etc/yunwei-agent/config.json --interval 30');
      expect(text).toContain('Restart=on-failure');
      expect(text).toContain(`RestartPreventExitStatus=${EXIT_CREDENTIAL_REFUSED}`);
      expect(text).toContain('WantedBy=multi-user.target');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(unitText({ node: 'node', bin: 'b', config: 'c' })).not.toContain('--interval');
  });

  it('starts the self-contained executable directly, without node or its flags', () => {
    expect(unitText({ node: null, bin: '/opt/yunwei-agent/bin/yunwei-agent', config: '/etc/yunwei-agent/config.json' })).toContain(
      'ExecStart=/opt/yunwei-agent/bin/yunwei-agent run --config /etc/yunwei-agent/config.json\n',
    );
  });
});
