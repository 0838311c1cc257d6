/** Test support for the agents tests (not used by the server): a minimal valid inventory. */
import type { HostInventoryData } from '@yunwei/contracts/agents';

export function sampleInventory(overrides: Partial<HostInventoryData> = {}): HostInventoryData {
  return {
    os: { platform: 'linux', distro: 'Debian GNU/Linux', release: '12', codename: 'bookworm', kernel: '6.1.0-28-amd64', arch: 'x64', hostname: 'web-01' },
    hardware: { manufacturer: 'Inspur', model: 'NF5280M6', serial: 'SN-0001', uuid: '', virtual: false },
    cpu: { manufacturer: 'Intel', brand: 'Xeon Gold 6330', cores: 56, physicalCores: 28, sockets: 2, speedGHz: 2 },
    memory: { totalBytes: 256 * 1024 ** 3, swapBytes: 8 * 1024 ** 3 },
    disks: [{ device: '/dev/sda', type: 'SSD', name: 'INTEL SSD', vendor: 'Intel', sizeBytes: 960e9, serial: 'D1', interfaceType: 'SATA', smartStatus: 'Ok' }],
    filesystems: [{ mount: '/', fstype: 'ext4', device: '/dev/sda1', sizeBytes: 900e9 }],
    nics: [
      { iface: 'lo', mac: '00:00:00:00:00:00', ip4: ['127.0.0.1'], ip6: ['::1'], speedMbps: null, virtual: true },
      { iface: 'eth0', mac: '52:54:00:12:34:56', ip4: ['10.0.0.11'], ip6: [], speedMbps: 10000, virtual: false },
    ],
    packages: [
      { name: 'nginx', version: '1.22.1-9', arch: 'amd64' },
      { name: 'openssl', version: '3.0.15-1~deb12u1', arch: 'amd64' },
    ],
    ports: [{ protocol: 'tcp', address: '0.0.0.0', port: 22 }],
    accounts: [{ name: 'root', uid: 0, gid: 0, home: '/root', shell: '/bin/bash', login: true }],
    services: [{ name: 'nginx.service', state: 'running', enabled: 'enabled' }],
    ...overrides,
  };
}
