import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hardwareSamples } from './hardware.ts';

describe('hardware status from sysfs', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'yw-sysfs-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const put = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };

  it('marks every part unavailable on a machine that exposes nothing (no zero values)', () => {
    const samples = hardwareSamples(1000, new Map(), path.join(root, 'nothing'));
    expect(samples).toEqual(['temperature', 'smart', 'fan', 'power'].map((component) => ({ metric: 'host_hw_available', labels: { component }, ts: 1000, value: 0 })));
  });

  it('reports temperatures, fans, mains power and SMART where exposed', () => {
    put('hwmon/hwmon0/name', 'coretemp\n');
    put('hwmon/hwmon0/temp1_input', '45000\n');
    put('hwmon/hwmon0/temp1_label', 'Package id 0\n');
    put('hwmon/hwmon1/name', 'nct6775\n');
    put('hwmon/hwmon1/fan1_input', '1200\n');
    put('hwmon/hwmon1/fan2_input', '0\n');
    put('power_supply/AC/type', 'Mains\n');
    put('power_supply/AC/online', '1\n');
    const samples = hardwareSamples(1000, new Map([['/dev/sda', true]]), root);
    const value = (metric: string, label: string, key: string) => samples.find((s) => s.metric === metric && s.labels?.[label] === key)?.value;
    expect(value('host_hw_temperature_celsius', 'sensor', 'coretemp/Package id 0')).toBe(45);
    expect(value('host_hw_fan_ok', 'fan', 'nct6775/fan1')).toBe(1);
    expect(value('host_hw_fan_ok', 'fan', 'nct6775/fan2')).toBe(0);
    expect(value('host_hw_power_ok', 'psu', 'AC')).toBe(1);
    expect(value('host_hw_disk_smart_ok', 'device', '/dev/sda')).toBe(1);
    for (const component of ['temperature', 'smart', 'fan', 'power']) {
      expect(value('host_hw_available', 'component', component)).toBe(1);
    }
  });
});
