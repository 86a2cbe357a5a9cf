/**
 * NOT captured: the lab's hbal never finds a move. Built line by line from Ganeti 3.0's own
 * formatting code (Hbal.hs iterateDepth/maybeSaveCommands, Cluster.hs printSolutionLine
 * `"  %3d. %-*s %-*s => %-*s %12.8f a=%s"`, computeMoves, formatJob/formatCmds) and the
 * example in man/hbal.rst: a 4-node cluster, two diskless instances failed over to a named
 * node (one running: migrate, one stopped: failover) in one jobset, then a DRBD primary
 * replacement (`f r:N f`) in a second jobset, with `-v`'s suffix note.
 */
export const HBAL_DOCUMENTED_EXAMPLE = [
  'Loaded 4 nodes, 6 instances',
  "Note: Stripping common suffix of '.example.org' from names",
  'Group size 4 nodes, 6 instances',
  'Selected node group: default',
  'Initial check done: 0 bad nodes, 0 bad instances.',
  'Initial score: 12.34567890',
  'Trying to minimize the CV...',
  '    1. web1 node1       => node3         7.50000000 a=fa:node3',
  '    2. web2 node2       => node4         3.25000000 a=fa:node4',
  '    3. db1  node1:node2 => node3:node2   1.05000000 a=f r:node3 f',
  'Cluster score improved from 12.34567890 to 1.05000000',
  'Solution length=3',
  '',
  'Commands to run to reach the above solution:',
  '  ',
  '  echo jobset 1, 2 jobs',
  '    echo job 1/1',
  '    gnt-instance migrate -f -n node3 web1',
  '    echo job 1/2',
  '    gnt-instance failover -f -n node4 web2',
  '  ',
  '  echo jobset 2, 1 jobs',
  '    echo job 2/1',
  '    gnt-instance migrate -f db1',
  '    gnt-instance replace-disks -n node3 db1',
  '    gnt-instance migrate -f db1',
  '',
].join('\n');
