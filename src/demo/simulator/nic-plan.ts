/**
 * The NIC of a new instance as Ganeti computes it (`ComputeNics`, then the IP reservation of
 * `LUInstanceCreate.CheckPrereq`): its mode and link from the cluster's defaults or its network,
 * its IP checked against the networks.
 */
import { prereq, type Failure } from './job-checks.js';
import type { SimCluster, SimNetwork, SimSettings } from './model.js';

export interface NicPlan {
  /** null: no IP (`nic.ips` shows `None`). */
  ip: string | null;
  /** `pool`: an address of the network is picked when the job runs. */
  pool: boolean;
  mode: string;
  link: string;
  network: SimNetwork | null;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

const toInt = (ip: string) => ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
const toIp = (n: number) => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');

/** The first and last address of a CIDR subnet (network and broadcast). */
function range(subnet: string): [number, number] {
  const [base = '0.0.0.0', bits = '32'] = subnet.split('/');
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(toInt(base) / size) * size;
  return [start, start + size - 1];
}

const inSubnet = (ip: string, net: SimNetwork) => {
  const [lo, hi] = range(net.subnet);
  return toInt(ip) >= lo && toInt(ip) <= hi;
};

const usedIps = (c: SimCluster) => new Set(c.instances.flatMap((i) => i.nics.map((n) => n.ip)));

/** Ganeti reserves a network's own address, its broadcast and its gateway. */
function free(used: ReadonlySet<string>, net: SimNetwork, ip: string): boolean {
  const [lo, hi] = range(net.subnet);
  const n = toInt(ip);
  return inSubnet(ip, net) && n !== lo && n !== hi && ip !== net.gateway && !used.has(ip);
}

/** `--net 0:…` checked as when the job starts, before the nodes are known. */
export function planNic(s: SimSettings, nic: Readonly<Record<string, string>>): NicPlan | Failure {
  const network = nic.network ?? null;
  const net = network === null ? null : (s.networks.find((n) => n.name === network) ?? null);
  if (network !== null && (nic.mode !== undefined || nic.link !== undefined))
    return prereq('wrong_input', 'If network is given, no mode or link is allowed to be passed');
  const given = nic.ip?.toLowerCase();
  if (given === 'auto')
    return prereq('wrong_input', 'IP address set to auto but name checks have been skipped');
  if (given === 'pool' && network === null)
    return prereq('wrong_input', 'if ip=pool, parameter network must be passed too');
  const ip = given === undefined || given === 'none' || given === 'pool' ? null : given;
  if (ip !== null && !IPV4.test(ip)) return prereq('wrong_input', `Invalid IP address '${ip}'`);
  const mode = nic.mode ?? s.nicMode;
  if (mode === 'routed' && ip === null && network === null)
    return prereq('wrong_input', 'Routed nic mode requires an ip address if not attached to a network');
  if (network !== null && net === null) return prereq('wrong_input', `Network '${network}' not found`);
  return {
    ip,
    pool: given === 'pool',
    mode: net?.mode ?? mode,
    link: net?.link ?? nic.link ?? s.nicLink,
    network: net,
  };
}

/**
 * The IP reserved in its network once the primary node is known: a free one for `pool`, else
 * the one given must be free there; without a network it must not belong to one.
 * @returns the NIC's IP, or the failure.
 */
export function reserveIp(c: SimCluster, s: SimSettings, plan: NicPlan): { ip: string | null } | Failure {
  const net = plan.network;
  if (net === null) {
    const owner = plan.ip === null ? undefined : s.networks.find((n) => inSubnet(plan.ip ?? '', n));
    return owner
      ? prereq(
          'wrong_state',
          `The requested IP address (${plan.ip ?? ''}) belongs to network ${owner.name}, but the target NIC does not.`,
        )
      : { ip: plan.ip };
  }
  const used = usedIps(c);
  if (plan.pool) {
    const [lo, hi] = range(net.subnet);
    for (let n = lo + 1; n < hi; n += 1) if (free(used, net, toIp(n))) return { ip: toIp(n) };
    return prereq('wrong_state', 'Unable to get a free IP for NIC 0 from the address pool');
  }
  if (plan.ip !== null && !free(used, net, plan.ip))
    return prereq(
      'resource_not_unique',
      `IP address ${plan.ip} already in use or does not belong to network ${net.name}`,
    );
  return { ip: plan.ip };
}
