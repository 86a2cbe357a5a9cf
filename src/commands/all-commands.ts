import { help } from './defs/help.js';
import { info } from './defs/info.js';
import { instances } from './defs/instances.js';
import { job } from './defs/job.js';
import { jobs } from './defs/jobs.js';
import { nodes } from './defs/nodes.js';
import { status } from './defs/status.js';
import { verify } from './defs/verify.js';
import type { Command } from './types.js';

/** Every command. Adding one: a file in defs/ and a line here. */
export const allCommands: readonly Command[] = [help, status, nodes, instances, info, jobs, job, verify];
