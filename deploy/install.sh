#!/bin/sh
# Installs ganeti-chatops as a service, from a built checkout (npm ci, npm run build; see
# docs/deploy.md): the service user, /etc/ganeti-chatops with its permissions, and the systemd
# units or the OpenRC script. Run as root; safe to run again (after an upgrade too): it never
# overwrites the settings file, the SSH key or /etc/conf.d/ganeti-chatops, and it starts nothing.
#
#   deploy/install.sh [--init systemd|openrc] [--ssh-key]
#
#   --init     the service manager (default: systemd when it runs, else OpenRC when installed)
#   --ssh-key  create the worker's SSH key /etc/ganeti-chatops/id_ed25519 when there is none
#
# The units name /opt/ganeti-chatops and /usr/bin/node; a checkout elsewhere, or node elsewhere,
# gets units that name those paths instead. DESTDIR (default empty) puts every file it writes under
# another root, for packaging and for test/deploy/install.test.ts.
set -eu

user=ganeti-chatops
app_dir=$(cd "$(dirname "$0")/.." && pwd -P)
dest=${DESTDIR:-}
etc="$dest/etc/ganeti-chatops"
init=
ssh_key=no

say() { printf 'install.sh: %s\n' "$*"; }
die() {
	printf 'install.sh: %s\n' "$*" >&2
	exit 1
}

while [ $# -gt 0 ]; do
	case "$1" in
	--init)
		[ $# -ge 2 ] || die "--init needs systemd or openrc"
		init=$2
		shift 2
		;;
	--init=*)
		init=${1#--init=}
		shift
		;;
	--ssh-key)
		ssh_key=yes
		shift
		;;
	-h | --help)
		sed -n '2,15p' "$0"
		exit 0
		;;
	*) die "unknown option $1 (--help lists them)" ;;
	esac
done

if [ -z "$init" ]; then
	if [ -d /run/systemd/system ]; then
		init=systemd
	elif [ -x /sbin/openrc-run ]; then
		init=openrc
	else
		die "neither systemd nor OpenRC found: give --init systemd or --init openrc"
	fi
fi
case "$init" in
systemd | openrc) ;;
*) die "--init: \"$init\" is neither systemd nor openrc" ;;
esac

[ "$(id -u)" -eq 0 ] || die "run as root (it creates a system user and root-owned files)"
[ -f "$app_dir/dist/main.js" ] || die "$app_dir/dist/main.js is missing: run npm ci and npm run build first"
node_bin=$(command -v node) || die "node is not on PATH"

# The service user: a system account with no shell, no home and a group of its own.
if getent passwd "$user" >/dev/null; then
	say "user $user exists"
else
	nologin=/usr/sbin/nologin
	[ -x "$nologin" ] || nologin=/sbin/nologin
	useradd --system --user-group --no-create-home --home-dir /nonexistent --shell "$nologin" "$user"
	say "created the system user $user"
fi

# Settings, key and known_hosts: root owns them, the service's group may only read them.
install -d -m 0750 "$etc"
chown "root:$user" "$etc"
if [ -e "$etc/env" ]; then
	say "kept $etc/env"
else
	install -m 0640 "$app_dir/.env.example" "$etc/env"
	say "wrote $etc/env from .env.example: fill it in"
fi
if [ "$ssh_key" = yes ] && [ ! -e "$etc/id_ed25519" ]; then
	ssh-keygen -q -t ed25519 -N '' -C "ganeti-chatops@$(uname -n)" -f "$etc/id_ed25519"
	say "created $etc/id_ed25519; append $etc/id_ed25519.pub to root's authorized_keys on every master candidate (contrib/README.md)"
fi
for f in env id_ed25519 known_hosts config.yaml; do
	[ -e "$etc/$f" ] || continue
	chown "root:$user" "$etc/$f"
	chmod 0640 "$etc/$f"
done
if [ -e "$etc/id_ed25519.pub" ]; then chmod 0644 "$etc/id_ed25519.pub"; fi

# The files name /opt/ganeti-chatops and /usr/bin/node: point them at this checkout and this node.
paths() { sed -e "s#/opt/ganeti-chatops#$app_dir#g" -e "s#/usr/bin/node#$node_bin#g" "$1"; }

if [ "$init" = systemd ]; then
	units="$dest/etc/systemd/system"
	install -d -m 0755 "$units"
	for unit in "$app_dir"/deploy/systemd/*.service; do
		paths "$unit" >"$units/$(basename "$unit").new"
		chmod 0644 "$units/$(basename "$unit").new"
		mv -f "$units/$(basename "$unit").new" "$units/$(basename "$unit")"
	done
	say "installed the units in $units (local changes belong in drop-ins: systemctl edit UNIT)"
	if [ -z "$dest" ] && [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
	say "next: systemctl enable --now ganeti-chatops.service (or ganeti-chatops-bot.service and ganeti-chatops-worker@3001.service)"
else
	install -d -m 0755 "$dest/etc/init.d" "$dest/etc/conf.d"
	paths "$app_dir/deploy/openrc/ganeti-chatops" >"$dest/etc/init.d/ganeti-chatops.new"
	chmod 0755 "$dest/etc/init.d/ganeti-chatops.new"
	mv -f "$dest/etc/init.d/ganeti-chatops.new" "$dest/etc/init.d/ganeti-chatops"
	if [ -e "$dest/etc/conf.d/ganeti-chatops" ]; then
		say "kept $dest/etc/conf.d/ganeti-chatops"
	else
		install -m 0644 "$app_dir/deploy/openrc/ganeti-chatops.confd" "$dest/etc/conf.d/ganeti-chatops"
	fi
	install -d -m 0750 "$dest/var/log/ganeti-chatops"
	chown "$user:$user" "$dest/var/log/ganeti-chatops"
	say "installed $dest/etc/init.d/ganeti-chatops"
	say "next: rc-update add ganeti-chatops default && rc-service ganeti-chatops start (or ln -s ganeti-chatops /etc/init.d/ganeti-chatops.bot, …worker)"
fi
say "then check the setup as the service user: runuser -u $user -- $node_bin $app_dir/dist/main.js doctor --settings /etc/ganeti-chatops/env"
