const PROGRAM = 'hbal';

/** One step of hbal's solution, from its progress line. */
export interface HbalMove {
  step: number;
  instance: string;
  from: { primary: string; secondary: string | null };
  to: { primary: string; secondary: string | null };
  /** The cluster score once this move is done. */
  scoreAfter: number;
  /**
   * hbal's action codes: `f` failover/migrate, `fa:NODE` failover to NODE (no secondary),
   * `r:NODE` new secondary NODE, and the composites `f r:N`, `r:N f`, `f r:N f`.
   */
  actions: string;
}

/** One Ganeti job of the plan: one instance, one to three `gnt-instance` commands in order. */
export interface HbalJob {
  instance: string;
  /** Each command as argv, e.g. `['gnt-instance', 'migrate', '-f', 'inst1.example.org']`. */
  commands: string[][];
}

/** `hbal -L -v -C` (a dry run): what hbal would do to balance the cluster. */
export interface HbalPlan {
  nodes: number | null;
  instances: number | null;
  group: string | null;
  badNodes: number | null;
  badInstances: number | null;
  initialScore: number | null;
  /** The score after every move; the initial score when hbal found no move. */
  finalScore: number | null;
  /** hbal did not search: the score is already as low as the N+1 reservations allow. */
  alreadyBalanced: boolean;
  /** hbal found no instances at all (`Cluster is empty, exiting.`). */
  empty: boolean;
  moves: HbalMove[];
  /**
   * The commands as hbal groups them: jobsets run one after another; the jobs of one jobset
   * touch different nodes (hbal -X runs them in parallel). Names carry their full domain again.
   */
  jobsets: HbalJob[][];
  /** hbal's other remarks, verbatim (`Cluster is not N+1 happy, …`, policy warnings). */
  notes: string[];
}

const COMMANDS_HEADERS = new Set(['Commands to run to reach the above solution:', 'First set of jobs:']);

/** Lines hbal prints that carry nothing the plan needs. */
const IGNORED = [
  /^Loaded cluster (?:tags|ipolicy):/,
  /^Group size \d+ nodes, \d+ instances$/,
  /^Trying to minimize the CV\.\.\.$/,
  /^No solution found$/,
  /^optimum score due to N\+1 reservations /,
  /^minimum score /,
  /^Nothing to do, exiting$/,
];

function score(text: string | undefined, what: string): number {
  const value = Number(text);
  if (text === undefined || text === '' || !Number.isFinite(value)) {
    throw new Error(`${PROGRAM}: ${what} is not a number: ${JSON.stringify(text)}`);
  }
  return value;
}

function nodePair(text: string, restore: (name: string) => string) {
  const [primary = '', secondary] = text.split(':');
  return { primary: restore(primary), secondary: secondary ? restore(secondary) : null };
}

const MOVE = /^\s*(\d+)\.\s+(\S+)\s+(\S+)\s+=>\s+(\S+)\s+(\S+)\s+a=(.+)$/;

/**
 * The `Commands to run…` section (Ganeti's Cluster.formatCmds, indented by the CLI):
 * `echo jobset N, K jobs`, then per job `echo job N/J` and its `gnt-instance …` lines.
 * Strict: anything else there means the format changed, and a plan to execute must not guess.
 */
function parseCommands(lines: readonly string[], restore: (name: string) => string): HbalJob[][] {
  const jobsets: Array<{ declared: number; jobs: HbalJob[] }> = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '' || line === 'check') continue;
    const jobset = /^echo jobset (\d+), (\d+) jobs$/.exec(line);
    const job = /^echo job (\d+)\/(\d+)$/.exec(line);
    const command = /^gnt-instance (\S.*)$/.exec(line);
    const current = jobsets[jobsets.length - 1];
    if (jobset && Number(jobset[1]) === jobsets.length + 1) {
      jobsets.push({ declared: Number(jobset[2]), jobs: [] });
    } else if (
      job &&
      current &&
      Number(job[1]) === jobsets.length &&
      Number(job[2]) === current.jobs.length + 1
    ) {
      current.jobs.push({ instance: '', commands: [] });
    } else if (command && current && current.jobs.length > 0) {
      const words = (command[1] ?? '').split(/\s+/);
      // After the subcommand, every word that is not an option is a node or instance name.
      const argv = ['gnt-instance', ...words.map((w, i) => (i === 0 || w.startsWith('-') ? w : restore(w)))];
      current.jobs[current.jobs.length - 1]?.commands.push(argv);
    } else {
      throw new Error(
        `${PROGRAM}: unexpected line in the command list: ${JSON.stringify(line.slice(0, 200))}`,
      );
    }
  }
  return jobsets.map(({ declared, jobs }, index) => {
    if (jobs.length !== declared) {
      throw new Error(`${PROGRAM}: jobset ${index + 1} announces ${declared} jobs but lists ${jobs.length}`);
    }
    return jobs.map((j) => {
      const instances = new Set(j.commands.map((c) => c[c.length - 1]));
      const [instance] = instances;
      if (j.commands.length === 0 || instances.size !== 1 || instance === undefined) {
        throw new Error(`${PROGRAM}: a job of jobset ${index + 1} does not name exactly one instance`);
      }
      return { instance, commands: j.commands };
    });
  });
}

/**
 * Parses the output of `hbal -L -C` (with `-v`, the `Note: Stripping common suffix` line lets
 * the names be given in full again; without it they stay as hbal printed them).
 * Unknown lines before the command list become `notes`; the command list itself is parsed
 * strictly and checked against the moves.
 * @throws Error when the moves, the solution length and the command list disagree.
 */
export function parseHbal(stdout: string): HbalPlan {
  const lines = stdout.split('\n').map((line) => line.replace(/\r$/, ''));
  const commandsAt = lines.findIndex((line) => COMMANDS_HEADERS.has(line));
  const head = commandsAt === -1 ? lines : lines.slice(0, commandsAt);
  const suffix = head
    .map((l) => /^Note: Stripping common suffix of '([^']+)' from names$/.exec(l)?.[1])
    .find(Boolean);
  const restore = (name: string) => (suffix && !name.endsWith(suffix) ? name + suffix : name);
  const plan: HbalPlan = {
    nodes: null,
    instances: null,
    group: null,
    badNodes: null,
    badInstances: null,
    initialScore: null,
    finalScore: null,
    alreadyBalanced: false,
    empty: false,
    moves: [],
    jobsets: [],
    notes: [],
  };
  let solutionLength: number | null = null;
  for (const line of head) {
    let m: RegExpExecArray | null;
    if (
      line.trim() === '' ||
      line.startsWith('Note: Stripping common suffix') ||
      IGNORED.some((re) => re.test(line))
    ) {
      continue;
    } else if ((m = /^Loaded (\d+) nodes, (\d+) instances$/.exec(line))) {
      plan.nodes = Number(m[1]);
      plan.instances = Number(m[2]);
    } else if ((m = /^Selected node group: (.+)$/.exec(line))) {
      plan.group = m[1] ?? null;
    } else if ((m = /^Initial check done: (\d+) bad nodes, (\d+) bad instances\.$/.exec(line))) {
      plan.badNodes = Number(m[1]);
      plan.badInstances = Number(m[2]);
    } else if ((m = /^Initial (?:score:|coefficients: overall) (\S+)$/.exec(line))) {
      plan.initialScore = score(m[1], 'the initial score');
    } else if ((m = /^Cluster is already well balanced \(initial score (\S+),$/.exec(line))) {
      plan.alreadyBalanced = true;
      plan.initialScore ??= score(m[1], 'the initial score');
    } else if (line === 'Cluster is empty, exiting.') {
      plan.empty = true;
    } else if ((m = MOVE.exec(line))) {
      plan.moves.push({
        step: Number(m[1]),
        instance: restore(m[2] ?? ''),
        from: nodePair(m[3] ?? '', restore),
        to: nodePair(m[4] ?? '', restore),
        scoreAfter: score(m[5], `the score of step ${m[1]}`),
        actions: (m[6] ?? '').trim(),
      });
    } else if (
      (m = /^(?:Cluster score improved from \S+ to|Final coefficients: {3}overall) (\S+)$/.exec(line))
    ) {
      plan.finalScore = score(m[1], 'the final score');
    } else if ((m = /^Solution length=(\d+)$/.exec(line))) {
      solutionLength = Number(m[1]);
    } else {
      plan.notes.push(line.trim());
    }
  }
  if (plan.moves.length === 0) plan.finalScore ??= plan.initialScore;
  if (solutionLength !== null && solutionLength !== plan.moves.length) {
    throw new Error(`${PROGRAM}: solution length ${solutionLength} but ${plan.moves.length} moves listed`);
  }
  if (commandsAt === -1) {
    if (plan.moves.length > 0) throw new Error(`${PROGRAM}: moves but no command list (run it with -C)`);
    return plan;
  }
  plan.jobsets = parseCommands(lines.slice(commandsAt + 1), restore);
  const jobs = plan.jobsets.flat();
  const moved = new Set(plan.moves.map((move) => move.instance));
  if (jobs.length !== plan.moves.length || jobs.some((job) => !moved.has(job.instance))) {
    throw new Error(
      `${PROGRAM}: the command list (${jobs.length} jobs) does not match the ${plan.moves.length} moves`,
    );
  }
  return plan;
}
