import { balance } from './defs/balance.js';
import { audit } from './defs/audit.js';
import { cancel } from './defs/cancel.js';
import { create } from './defs/create.js';
import { capacity } from './defs/capacity.js';
import { instanceConsole } from './defs/console.js';
import { drain } from './defs/drain.js';
import { evacuate } from './defs/evacuate.js';
import { failover } from './defs/failover.js';
import { health } from './defs/health.js';
import { help } from './defs/help.js';
import { info } from './defs/info.js';
import { instances } from './defs/instances.js';
import { job } from './defs/job.js';
import { masterFailover } from './defs/master-failover.js';
import { jobs } from './defs/jobs.js';
import { migrate } from './defs/migrate.js';
import { nodes } from './defs/nodes.js';
import { offline } from './defs/offline.js';
import { online } from './defs/online.js';
import { reboot } from './defs/reboot.js';
import { recover } from './defs/recover.js';
import { remove } from './defs/remove.js';
import { rebalance } from './defs/rebalance.js';
import { shutdown } from './defs/shutdown.js';
import { start } from './defs/start.js';
import { status } from './defs/status.js';
import { undrain } from './defs/undrain.js';
import { verify } from './defs/verify.js';
import type { Command } from './types.js';

/** Every command. Adding one: a file in defs/ and a line here. */
export const allCommands: readonly Command[] = [
  help,
  status,
  nodes,
  instances,
  info,
  jobs,
  job,
  verify,
  capacity,
  health,
  balance,
  instanceConsole,
  start,
  shutdown,
  reboot,
  failover,
  migrate,
  evacuate,
  recover,
  masterFailover,
  drain,
  undrain,
  offline,
  online,
  create,
  remove,
  cancel,
  rebalance,
  audit,
];
