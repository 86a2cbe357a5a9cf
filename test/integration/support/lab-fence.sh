#!/usr/bin/env bash
# A real fencing command for the Ganeti lab, for AUTO_EVACUATE tests: powers node N off with the
# lab's fault.sh (the lab's stand-in for IPMI). Usage: lab-fence.sh nodeN.ganeti.test
set -euo pipefail
node=${1:?usage: lab-fence.sh NODE}
n=$(printf '%s' "$node" | sed -n 's/^node\([0-9]\)\..*/\1/p')
[ -n "$n" ] || { echo "not a lab node: $node" >&2; exit 2; }
"${GANETI_TEST_LAB_DIR:?}/fault.sh" power-off "$n"
echo "node$n powered off"
