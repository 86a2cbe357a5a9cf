import type { NodeProber } from '../../cluster/node-prober.js';
import type { SimCluster } from './model.js';

/**
 * The monitor's direct probe of a node (src/cluster/node-prober.ts), answered from the simulated
 * cluster instead of TCP to the node's made-up address: a node with ganeti-noded stopped still
 * answers on SSH; a cut or powered-off one is silent.
 */
export function createSimProber(cluster: SimCluster): NodeProber {
  return {
    probe(ip) {
      const node = cluster.nodes.find((n) => n.ip === ip);
      if (node === undefined || node.fault === 'unreachable' || node.fault === 'powered-off')
        return Promise.resolve('silent');
      return Promise.resolve(node.fault === 'noded-down' ? 'noded-down' : 'answers');
    },
  };
}
