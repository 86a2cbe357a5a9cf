#!/bin/sh
# Sets up deploy/openrc/ganeti-chatops as openrc-run would for one service name, with OpenRC's
# helpers stubbed, and prints what supervise-daemon would be given (for test/deploy/service-files.ts).
#   openrc-service.sh NAME CONFD INSTANCE_CONFD_TEXT SCRIPT VAR...
# Output on stdout, one `kind=value` a line; what the script itself prints goes to stderr.
exec 3>&1 1>&2
checkpath() { :; }
ebegin() { :; }
eend() { :; }
einfo() { :; }
ewarn() { :; }
eerror() { printf '%s\n' "$*"; }
need() { printf 'depend=need %s\n' "$*" >&3; }
use() { printf 'depend=use %s\n' "$*" >&3; }
after() { printf 'depend=after %s\n' "$*" >&3; }
before() { :; }
provide() { :; }

RC_SVCNAME=$1
confd=$2
instance=$3
script=$4
shift 4
# openrc-run: /etc/conf.d/${RC_SVCNAME%%.*}, then /etc/conf.d/${RC_SVCNAME}, then the script.
. "$confd"
eval "$instance"
. "$script"

for v in "$@"; do
	eval "value=\${$v-}"
	printf 'var.%s=%s\n' "$v" "$value" >&3
done
# supervise-daemon.sh: eval supervise-daemon … $command -- $command_args
eval "set -- $command_args"
printf 'argv=%s\n' "$command" >&3
for a in "$@"; do printf 'argv=%s\n' "$a" >&3; done
depend
if out=$(start_pre 2>&1); then status=0; else status=$?; fi
printf 'start_pre=%s\n' "$status" >&3
printf '%s\n' "$out" | sed 's/^/start_pre_out=/' >&3
