import { optionalNumber, parseShellAssignments, requiredNumber } from './htools-output.js';

const PROGRAM = 'hcheck';

/** hcheck's counts for a node group or the whole cluster, before or after a simulated rebalance. */
export interface HcheckCounts {
  /** Nodes that could not take over their secondaries' instances if a peer failed (N+1). */
  nPlusOneFailures: number;
  /** Nodes running two primaries that share an exclusion tag. */
  conflictingTags: number;
  /** Instances whose primary node is marked offline. */
  offlinePrimaries: number;
  /** Instances whose secondary node is marked offline. */
  offlineSecondaries: number;
  /** Nodes whose instances could not all be moved off directly (global N+1); null when not reported. */
  notEvacuable: number | null;
}

export interface HcheckGroup {
  index: number;
  uuid: string | null;
  initialScore: number;
  /** After hcheck's simulated rebalance; null when it did not report one. */
  finalScore: number | null;
}

/** `hcheck -L --machine-readable`: Ganeti's own view of the cluster's redundancy. */
export interface HcheckReport {
  groups: HcheckGroup[];
  initial: HcheckCounts;
  /** Any count above zero: hcheck then also exits 1. */
  needsRebalance: boolean;
  /** The counts after a simulated rebalance (what hbal could fix); null when not reported. */
  afterRebalance: HcheckCounts | null;
}

function counts(values: Map<string, string>, prefix: string): HcheckCounts {
  return {
    nPlusOneFailures: requiredNumber(PROGRAM, values, `${prefix}_N1_FAIL`),
    conflictingTags: requiredNumber(PROGRAM, values, `${prefix}_CONFLICT_TAGS`),
    offlinePrimaries: requiredNumber(PROGRAM, values, `${prefix}_OFFLINE_PRI`),
    offlineSecondaries: requiredNumber(PROGRAM, values, `${prefix}_OFFLINE_SEC`),
    notEvacuable: optionalNumber(PROGRAM, values, `${prefix}_GN1_FAIL`),
  };
}

/**
 * Parses `hcheck -L --machine-readable` (Ganeti's Hcheck.hs: `HCHECK_GROUP_UUID_<idx>`,
 * `HCHECK_<INIT|FINAL>_<GROUP_<idx>|CLUSTER>_<KEY>`, then `HCHECK_OK=1`).
 * @throws Error when `HCHECK_OK=1` is missing (output cut short) or a value is malformed.
 */
export function parseHcheck(stdout: string): HcheckReport {
  const values = parseShellAssignments(PROGRAM, stdout);
  if (values.get('HCHECK_OK') !== '1') {
    throw new Error('hcheck: the output does not end with HCHECK_OK=1 (cut short?)');
  }
  const indexes = new Set<number>();
  for (const key of values.keys()) {
    const match = /^HCHECK_(?:INIT|FINAL)_GROUP_(\d+)_SCORE$/.exec(key);
    if (match) indexes.add(Number(match[1]));
  }
  const groups = [...indexes]
    .sort((a, b) => a - b)
    .map((index) => ({
      index,
      uuid: values.get(`HCHECK_GROUP_UUID_${index}`) ?? null,
      initialScore: requiredNumber(PROGRAM, values, `HCHECK_INIT_GROUP_${index}_SCORE`),
      finalScore: optionalNumber(PROGRAM, values, `HCHECK_FINAL_GROUP_${index}_SCORE`),
    }));
  const rebalance = requiredNumber(PROGRAM, values, 'HCHECK_INIT_CLUSTER_NEED_REBALANCE');
  return {
    groups,
    initial: counts(values, 'HCHECK_INIT_CLUSTER'),
    needsRebalance: rebalance !== 0,
    afterRebalance: values.has('HCHECK_FINAL_CLUSTER_N1_FAIL')
      ? counts(values, 'HCHECK_FINAL_CLUSTER')
      : null,
  };
}
