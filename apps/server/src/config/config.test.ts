import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('defaults to SQLite under ./data on 127.0.0.1:8080', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8080 });
    expect(config.databaseUrl).toBe(`sqlite:${path.resolve('data/yunwei.db')}`);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('takes YUNWEI_* variables over the config file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'yw-config-'));
    const file = path.join(dir, 'yunwei.yaml');
    writeFileSync(file, 'port: 9000\nhost: 0.0.0.0\n');
    const config = loadConfig({ YUNWEI_CONFIG: file, YUNWEI_PORT: '9100', YUNWEI_DATABASE_URL: 'postgres://u@h/db' });
    expect(config).toMatchObject({ host: '0.0.0.0', port: 9100, databaseUrl: 'postgres://u@h/db' });
  });

  it('stops with a message naming the bad setting', () => {
    expect(() => loadConfig({ YUNWEI_PORT: 'eighty' })).toThrow(/port \(YUNWEI_PORT\): must be an integer/);
    expect(() => loadConfig({ YUNWEI_PORT: '70000' })).toThrow(ConfigError);
    expect(() => loadConfig({ YUNWEI_PORT: '70000' })).toThrow(/port \(YUNWEI_PORT\)/);
    expect(() => loadConfig({ YUNWEI_ADMIN_PASSWORD: 'short' })).toThrow(/adminPassword \(YUNWEI_ADMIN_PASSWORD\)/);
  });

  it('evaluates alert rules every 15 s unless YUNWEI_ALERT_EVAL_INTERVAL says otherwise', () => {
    expect(loadConfig({}).alertEvalIntervalSeconds).toBe(15);
    expect(loadConfig({ YUNWEI_ALERT_EVAL_INTERVAL: '30' }).alertEvalIntervalSeconds).toBe(30);
    expect(() => loadConfig({ YUNWEI_ALERT_EVAL_INTERVAL: '0' })).toThrow(/alertEvalIntervalSeconds \(YUNWEI_ALERT_EVAL_INTERVAL\)/);
  });

  it('treats an empty variable as unset, except YUNWEI_WEB_DIR where empty means API only', () => {
    expect(loadConfig({ YUNWEI_PORT: '', YUNWEI_MASTER_KEY: '' })).toMatchObject({ port: 8080 });
    expect(loadConfig({ YUNWEI_MASTER_KEY: '' }).masterKey).toBeUndefined();
    expect(loadConfig({ YUNWEI_WEB_DIR: '' }).webDir).toBe('');
    expect(loadConfig({}).webDir).toMatch(/apps[\\/]web[\\/]dist$/);
  });

  it('takes YUNWEI_PUBLIC_URL as an http(s) URL without query, trailing slashes dropped; unset by default', () => {
    expect(loadConfig({}).publicUrl).toBeUndefined();
    expect(loadConfig({ YUNWEI_PUBLIC_URL: 'https://ops.example.com/' }).publicUrl).toBe('https://ops.example.com');
    expect(loadConfig({ YUNWEI_PUBLIC_URL: 'http://10.0.0.5:8080/yunwei' }).publicUrl).toBe('http://10.0.0.5:8080/yunwei');
    expect(() => loadConfig({ YUNWEI_PUBLIC_URL: 'ops.example.com' })).toThrow(/publicUrl \(YUNWEI_PUBLIC_URL\): must be an absolute URL/);
    expect(() => loadConfig({ YUNWEI_PUBLIC_URL: 'ftp://ops.example.com' })).toThrow(/publicUrl \(YUNWEI_PUBLIC_URL\): must start with http/);
    expect(() => loadConfig({ YUNWEI_PUBLIC_URL: 'https://ops.example.com/?a=1' })).toThrow(/publicUrl \(YUNWEI_PUBLIC_URL\): must not have a query/);
    expect(() => loadConfig({ YUNWEI_PUBLIC_URL: 'https://u:p@ops.example.com' })).toThrow(/publicUrl \(YUNWEI_PUBLIC_URL\)/);
  });

  it('formats message times in Asia/Shanghai unless YUNWEI_TIME_ZONE names another zone Intl knows', () => {
    expect(loadConfig({}).timeZone).toBe('Asia/Shanghai');
    expect(loadConfig({ YUNWEI_TIME_ZONE: 'Europe/Berlin' }).timeZone).toBe('Europe/Berlin');
    expect(() => loadConfig({ YUNWEI_TIME_ZONE: 'Mars/Olympus' })).toThrow(/timeZone \(YUNWEI_TIME_ZONE\): not a time zone/);
  });

  it('keeps the inbound mail receiver off unless YUNWEI_MAIL_RECEIVER_PORT is set; checks its other settings', () => {
    expect(loadConfig({})).toMatchObject({ mailReceiverHost: '0.0.0.0', mailReceiverDomains: '', mailReceiverAllow: '', mailReceiverMaxBytes: 10 * 1024 * 1024 });
    expect(loadConfig({}).mailReceiverPort).toBeUndefined();
    expect(loadConfig({ YUNWEI_MAIL_RECEIVER_PORT: '2525', YUNWEI_MAIL_RECEIVER_DOMAINS: 'ops.example.cn' })).toMatchObject({ mailReceiverPort: 2525, mailReceiverDomains: 'ops.example.cn' });
    expect(() => loadConfig({ YUNWEI_MAIL_RECEIVER_PORT: 'smtp' })).toThrow(/mailReceiverPort \(YUNWEI_MAIL_RECEIVER_PORT\): must be an integer/);
    expect(() => loadConfig({ YUNWEI_MAIL_RECEIVER_ALLOW: '10.0.0.0/33' })).toThrow(/mailReceiverAllow \(YUNWEI_MAIL_RECEIVER_ALLOW\)/);
    expect(() => loadConfig({ YUNWEI_MAIL_RECEIVER_TLS_CERT: '/etc/yunwei/smtp.crt' })).toThrow(/set both \(STARTTLS\) or neither/);
    expect(() => loadConfig({ YUNWEI_MAIL_RECEIVER_MAX_BYTES: '10' })).toThrow(/mailReceiverMaxBytes \(YUNWEI_MAIL_RECEIVER_MAX_BYTES\)/);
  });

  it('refuses unknown settings in the file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'yw-config-'));
    const file = path.join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ prot: 1 }));
    expect(() => loadConfig({ YUNWEI_CONFIG: file })).toThrow(/prot/);
  });
});
