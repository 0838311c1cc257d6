import { describe, expect, it } from 'vitest';
import { busyPercent, parseDiskstats, parseLoadavg, parseMeminfo, parseMounts, parseNetDev, parseNetSockets, parseStat } from './proc.ts';

describe('/proc parsers', () => {
  it('reads CPU times and computes busy percentages between two readings', () => {
    const a = parseStat('cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 50 0 50 350 50 0 0 0 0 0\ncpu1 50 0 50 350 50 0 0 0 0 0\nintr 1 2\n');
    const b = parseStat('cpu  200 0 200 1300 300 0 0 0 0 0\ncpu0 150 0 50 450 50 0 0 0 0 0\ncpu1 50 0 150 850 250 0 0 0 0 0\n');
    expect(a.cores.size).toBe(2);
    expect(busyPercent(a.all!, b.all!)).toBeCloseTo(20); // 200 busy of 1000
    expect(busyPercent(a.cores.get('0')!, b.cores.get('0')!)).toBeCloseTo(50);
    expect(busyPercent(a.all!, a.all!)).toBeNull();
  });

  it('reads load, memory (bytes) and the disks and interfaces with their byte counters', () => {
    expect(parseLoadavg('0.52 0.58 0.59 2/345 12345\n')).toEqual([0.52, 0.58, 0.59]);
    const mem = parseMeminfo('MemTotal:       16384 kB\nMemAvailable:    4096 kB\nHugePages_Total:       0\n');
    expect(mem.get('MemTotal')).toBe(16384 * 1024);
    expect(mem.get('HugePages_Total')).toBe(0);
    const disks = parseDiskstats(
      ['   8       0 sda 100 0 2048 0 50 0 4096 0 0 0 0', '   8       1 sda1 100 0 2048 0 50 0 4096 0 0 0 0', '   7       0 loop0 1 0 8 0 0 0 0 0 0 0 0'].join('\n'),
      (name) => name === 'sda' || name === 'loop0',
    );
    expect([...disks]).toEqual([['sda', { read: 2048 * 512, written: 4096 * 512 }]]);
    const nets = parseNetDev('Inter-|   Receive\n face |bytes\n    lo: 10 1 0 0 0 0 0 0 10 1 0 0 0 0 0 0\n  eth0: 1000 10 0 0 0 0 0 0 2000 20 0 0 0 0 0 0\n');
    expect([...nets]).toEqual([['eth0', { read: 1000, written: 2000 }]]);
  });

  it('keeps real file systems once per device and decodes escaped mount points', () => {
    const mounts = parseMounts(['/dev/vda1 / ext4 rw 0 0', 'proc /proc proc rw 0 0', 'tmpfs /run tmpfs rw 0 0', '/dev/vda1 /var/lib/docker ext4 rw 0 0', '/dev/sdb1 /mnt/my\\040disk xfs rw 0 0'].join('\n'));
    expect(mounts).toEqual([
      { device: '/dev/vda1', mount: '/', fstype: 'ext4' },
      { device: '/dev/sdb1', mount: '/mnt/my disk', fstype: 'xfs' },
    ]);
  });

  it('finds listening TCP and bound UDP sockets, IPv4 and IPv6', () => {
    const tcp = ['  sl  local_address rem_address   st', '   0: 0100007F:0CEA 00000000:0000 0A 0', '   1: 0100007F:0CEA 0100007F:D2F0 01 0'].join('\n');
    expect(parseNetSockets(tcp, 'tcp')).toEqual([{ protocol: 'tcp', address: '127.0.0.1', port: 3306 }]);
    const tcp6 = ['  sl  local_address rem_address st', '   0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 0'].join('\n');
    expect(parseNetSockets(tcp6, 'tcp6')).toEqual([{ protocol: 'tcp', address: '::', port: 22 }]);
    const udp = ['  sl  local_address rem_address st', '   0: 00000000:0035 00000000:0000 07 0'].join('\n');
    expect(parseNetSockets(udp, 'udp')).toEqual([{ protocol: 'udp', address: '0.0.0.0', port: 53 }]);
  });
});
