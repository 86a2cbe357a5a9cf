import { optionalNumber, parseShellAssignments, requiredNumber } from './htools-output.js';

const PROGRAM = 'hspace';

/** An instance size as hspace states it (MiB and CPUs). */
export interface HspaceSpec {
  memoryMiB: number;
  diskMiB: number;
  cpus: number;
}

/** `hspace -L --machine-readable`: how many more instances fit, by Ganeti's own allocator. */
export interface HspaceReport {
  /** What hspace counted: online nodes' totals (MiB, physical CPUs, virtual CPUs). */
  cluster: { nodes: number; memoryMiB: number; diskMiB: number; cpus: number; vcpus: number };
  /** Instances on the cluster now. */
  instances: number;
  /** The instance policy's standard spec, allocated until something runs out. */
  standard: {
    spec: HspaceSpec;
    diskTemplate: string | null;
    /** How many more instances of that spec fit. */
    fits: number;
    /** What ran out first: hspace's FailMode without `FAIL` (`MEM`, `DISK`, `CPU`, `N1`, …). */
    limitedBy: string | null;
  } | null;
  /**
   * Tiered allocation: starting at the policy's maximum spec, each instance as large as still
   * fits. `sizes` says how many of which size (largest first, as hspace allocated them).
   */
  tiered: {
    startSpec: HspaceSpec;
    diskTemplate: string | null;
    fits: number;
    sizes: Array<HspaceSpec & { count: number }>;
  } | null;
}

function spec(values: Map<string, string>, prefix: string): HspaceSpec | null {
  const memoryMiB = optionalNumber(PROGRAM, values, `${prefix}_MEM`);
  if (memoryMiB === null) return null;
  return {
    memoryMiB,
    diskMiB: requiredNumber(PROGRAM, values, `${prefix}_DSK`),
    cpus: requiredNumber(PROGRAM, values, `${prefix}_CPU`),
  };
}

/** `HTS_TSPEC='23296,1048576,5,12=1 23040,1048576,5,12=1'`: MEM,DSK,CPU[,SPINDLES]=COUNT each. */
function parseTieredSizes(text: string): Array<HspaceSpec & { count: number }> {
  return text
    .split(/\s+/)
    .filter((item) => item !== '')
    .map((item) => {
      const match = /^(\d+),(\d+),(\d+)(?:,\d+)?=(\d+)$/.exec(item);
      if (match === null)
        throw new Error(`${PROGRAM}: HTS_TSPEC entry ${JSON.stringify(item)} is not MEM,DSK,CPU,SPN=COUNT`);
      return {
        memoryMiB: Number(match[1]),
        diskMiB: Number(match[2]),
        cpus: Number(match[3]),
        count: Number(match[4]),
      };
    });
}

/**
 * Parses `hspace -L --machine-readable` (Ganeti's Hspace.hs: `HTS_CLUSTER_*`, `HTS_INI_*`, the
 * tiered `HTS_TSPEC_INI_*` and `HTS_TSPEC`, the standard `HTS_SPEC_*` and `HTS_ALLOC_*`, then
 * `HTS_OK=1`).
 * @throws Error when `HTS_OK=1` is missing (output cut short) or a value is malformed.
 */
export function parseHspace(stdout: string): HspaceReport {
  const values = parseShellAssignments(PROGRAM, stdout);
  if (values.get('HTS_OK') !== '1')
    throw new Error('hspace: the output does not end with HTS_OK=1 (cut short?)');
  const standardSpec = spec(values, 'HTS_SPEC');
  const tieredSpec = spec(values, 'HTS_TSPEC_INI');
  const sizes = parseTieredSizes(values.get('HTS_TSPEC') ?? '');
  const reason = values.get('HTS_ALLOC_FAIL_REASON');
  return {
    cluster: {
      nodes: requiredNumber(PROGRAM, values, 'HTS_CLUSTER_NODES'),
      memoryMiB: requiredNumber(PROGRAM, values, 'HTS_CLUSTER_MEM'),
      diskMiB: requiredNumber(PROGRAM, values, 'HTS_CLUSTER_DSK'),
      cpus: requiredNumber(PROGRAM, values, 'HTS_CLUSTER_CPU'),
      vcpus: requiredNumber(PROGRAM, values, 'HTS_CLUSTER_VCPU'),
    },
    instances: requiredNumber(PROGRAM, values, 'HTS_INI_INST_CNT'),
    standard: standardSpec && {
      spec: standardSpec,
      diskTemplate: values.get('HTS_SPEC_DISK_TEMPLATE') ?? null,
      fits: requiredNumber(PROGRAM, values, 'HTS_ALLOC_INSTANCES'),
      limitedBy: reason === undefined || reason === '' ? null : reason.replace(/^FAIL/, ''),
    },
    tiered: tieredSpec && {
      startSpec: tieredSpec,
      diskTemplate: values.get('HTS_TSPEC_INI_DISK_TEMPLATE') ?? null,
      fits: sizes.reduce((sum, size) => sum + size.count, 0),
      sizes,
    },
  };
}
