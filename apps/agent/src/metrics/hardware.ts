import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Sample } from './sample.ts';

/** Hardware parts whose status the agent reports; each is `host_hw_available{component}` 1 or 0. */
export const HW_COMPONENTS = ['temperature', 'smart', 'fan', 'power'] as const;
export type HwComponent = (typeof HW_COMPONENTS)[number];

/** SMART verdicts per device (from the inventory: smartctl is too costly to run every interval). */
export type SmartStatus = Map<string, boolean>;

function read(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * Hardware status from sysfs (hwmon sensors, thermal zones, power supplies): files, no processes.
 * Only what the machine exposes is reported; a part it does not expose gets
 * `host_hw_available{component} = 0` and no value series — never a made-up zero.
 */
export function hardwareSamples(ts: number, smart: SmartStatus, sys = '/sys/class'): Sample[] {
  const out: Sample[] = [];
  const seen = new Set<HwComponent>();
  const add = (component: HwComponent, metric: string, label: string, key: string, value: number) => {
    seen.add(component);
    out.push({ metric, labels: { [label]: key }, ts, value });
  };

  const temps = new Map<string, number>();
  for (const hw of list(path.join(sys, 'hwmon'))) {
    const dir = path.join(sys, 'hwmon', hw);
    const chip = read(path.join(dir, 'name')) ?? hw;
    for (const file of list(dir)) {
      const m = /^(temp|fan)(\d+)_input$/.exec(file);
      const raw = m ? Number(read(path.join(dir, file))) : NaN;
      if (!m || !Number.isFinite(raw)) {
        continue;
      }
      const label = read(path.join(dir, `${m[1]}${m[2]}_label`)) ?? `${m[1]}${m[2]}`;
      if (m[1] === 'temp') {
        temps.set(`${chip}/${label}`, raw / 1000);
      } else {
        const alarm = read(path.join(dir, `fan${m[2]}_alarm`)) === '1';
        add('fan', 'host_hw_fan_ok', 'fan', `${chip}/${label}`, raw > 0 && !alarm ? 1 : 0);
      }
    }
  }
  for (const zone of list(path.join(sys, 'thermal'))) {
    const raw = zone.startsWith('thermal_zone') ? Number(read(path.join(sys, 'thermal', zone, 'temp'))) : NaN;
    if (Number.isFinite(raw) && raw > -273_000) {
      const type = read(path.join(sys, 'thermal', zone, 'type')) ?? zone;
      temps.set(`${type}/${zone}`, raw / 1000);
    }
  }
  for (const [sensor, celsius] of temps) {
    add('temperature', 'host_hw_temperature_celsius', 'sensor', sensor, celsius);
  }
  for (const supply of list(path.join(sys, 'power_supply'))) {
    const dir = path.join(sys, 'power_supply', supply);
    if (read(path.join(dir, 'type')) === 'Mains' && existsSync(path.join(dir, 'online'))) {
      add('power', 'host_hw_power_ok', 'psu', supply, read(path.join(dir, 'online')) === '1' ? 1 : 0);
    }
  }
  for (const [device, ok] of smart) {
    add('smart', 'host_hw_disk_smart_ok', 'device', device, ok ? 1 : 0);
  }
  for (const component of HW_COMPONENTS) {
    out.push({ metric: 'host_hw_available', labels: { component }, ts, value: seen.has(component) ? 1 : 0 });
  }
  return out;
}
