#!/bin/sh
# Installs HallQ as a service on a fresh Debian 12 box, from this checkout (or unpacked release):
#
#   sudo sh scripts/service/install.sh
#
# What it does, in order (README.md "Running HallQ as a service" is the same list by hand):
#   1. Debian packages to build better-sqlite3 (build-essential, python3) and fetch Node (curl, gnupg).
#   2. Node.js 20 from NodeSource's apt repository, unless a Node 20.19+ (or 22+) is already there:
#      Debian 12's own nodejs is 18, too old.
#   3. A `hallq` system user (no login, no home of its own).
#   4. The code in /opt/hallq (owned by root, read-only to the service): npm ci, the pages and the
#      server bundle built beside the running release, a backup of the database taken, then swapped in.
#   5. /etc/hallq: hallq.env and an example hall.json, kept if they exist.
#   6. The unit (/etc/systemd/system/hallq.service) and the `hallq` command (/usr/local/bin/hallq).
#   7. The service enabled and started, its health checked, and the first manager account made.
#
# Re-running it upgrades the code in place and restarts the service; configuration and data stay.
# HALLQ_MANAGER=username HALLQ_MANAGER_NAME="李经理" and a password on standard input make step 7
# non-interactive; without them, and without a terminal, the command to run is printed instead.
set -eu

PREFIX=/opt/hallq
ETC=/etc/hallq
SOURCE=$(cd "$(dirname "$0")/../.." && pwd)

say() { printf '\n== %s\n' "$*"; }
die() { printf 'install: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (sudo sh $0)"
[ -f "$SOURCE/package.json" ] && [ -f "$SOURCE/server/main.ts" ] || die "$SOURCE is not a HallQ checkout"
if ! grep -q '^VERSION_ID="12"' /etc/os-release 2>/dev/null; then
  echo "warning: this script is written for Debian 12; carrying on" >&2
fi

node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>=22||(a===20&&b>=19)?0:1)'
}

say "Debian packages"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q ca-certificates curl gnupg build-essential python3 passwd

if node_ok; then
  say "Node $(node -v) is already installed"
else
  say "Node.js 20 from NodeSource (deb.nodesource.com)"
  install -d -m 0755 /usr/share/keyrings
  curl -fsSL https://deb.nodesource.com/gpgkey/nodesource-repo.gpg.key |
    gpg --dearmor --yes -o /usr/share/keyrings/nodesource.gpg
  cat >/etc/apt/sources.list.d/nodesource.sources <<'SOURCES'
Types: deb
URIs: https://deb.nodesource.com/node_20.x
Suites: nodistro
Components: main
Signed-By: /usr/share/keyrings/nodesource.gpg
SOURCES
  # NodeSource's nodejs must win over Debian's older one.
  printf 'Package: nodejs\nPin: origin deb.nodesource.com\nPin-Priority: 600\n' >/etc/apt/preferences.d/nodesource
  apt-get update -q
  apt-get install -y -q nodejs
  node_ok || die "Node $(node -v 2>/dev/null || echo none) is installed, but HallQ needs 20.19 or newer"
fi

say "the hallq user"
if ! id hallq >/dev/null 2>&1; then
  useradd --system --user-group --home-dir /var/lib/hallq --no-create-home --shell /usr/sbin/nologin hallq
fi
# The unit's StateDirectory= and LogsDirectory= make these at start; made here too, for the CLI before it.
install -d -m 0750 -o hallq -g hallq /var/lib/hallq /var/log/hallq

say "the code in $PREFIX"
# Built beside the running one and swapped in whole, so an upgrade leaves no file of the old release and
# the hall keeps running on the old code until the restart below.
build=$PREFIX
if [ "$SOURCE" != "$PREFIX" ]; then
  build=$PREFIX.new
  rm -rf "$build"
  install -d -m 0755 "$build"
  # The sources without what is built or kept per box.
  tar -C "$SOURCE" --exclude=./.git --exclude=./node_modules --exclude=./dist --exclude=./data -cf - . |
    tar -C "$build" --no-same-owner -xf -
fi
cd "$build"
npm ci --no-audit --no-fund
npm run build
node scripts/build-server.mjs
chmod -R u=rwX,go=rX "$build"
db=$(sed -n 's/^HALLQ_DB=//p' "$ETC/hallq.env" 2>/dev/null | tail -1)
if [ -n "$db" ] && [ -f "$db" ] && [ -x /usr/local/bin/hallq ]; then
  # The new release may migrate the database at its first start: keep the state before it.
  /usr/local/bin/hallq backup "$(dirname "$db")/before-upgrade-$(date +%Y%m%d-%H%M%S).sqlite"
fi
if [ "$build" != "$PREFIX" ]; then
  rm -rf "$PREFIX.old"
  [ -d "$PREFIX" ] && mv "$PREFIX" "$PREFIX.old"
  mv "$build" "$PREFIX"
  rm -rf "$PREFIX.old"
fi
cd "$PREFIX"

say "configuration in $ETC"
install -d -m 0750 -g hallq "$ETC"
[ -f "$ETC/hallq.env" ] || install -m 0640 -g hallq scripts/service/hallq.env "$ETC/hallq.env"
[ -f "$ETC/hall.json" ] || install -m 0640 -g hallq scripts/service/hall.example.json "$ETC/hall.json"

say "the unit and the hallq command"
install -m 0644 scripts/service/hallq.service /etc/systemd/system/hallq.service
install -m 0755 scripts/service/hallq /usr/local/bin/hallq

if [ -d /run/systemd/system ]; then
  say "starting the service"
  systemctl daemon-reload
  systemctl enable hallq.service
  systemctl restart hallq.service
  port=$(sed -n 's/^PORT=//p' "$ETC/hallq.env" | tail -1)
  tries=0
  until curl -fsS "http://127.0.0.1:${port:-8080}/api/v1/health" >/dev/null 2>&1; do
    tries=$((tries + 1))
    if [ "$tries" -gt 30 ]; then
      journalctl -u hallq -n 30 --no-pager >&2 || true
      die "the service did not answer on port ${port:-8080} within 30 s (the journal is above)"
    fi
    sleep 1
  done
  echo "hallq is running: http://$(hostname -I 2>/dev/null | cut -d' ' -f1):${port:-8080}/"
else
  echo "no systemd running here (a container or chroot): the unit is installed, not started" >&2
fi

say "the first manager account"
if [ -n "${HALLQ_MANAGER:-}" ]; then
  /usr/local/bin/hallq user add --username "$HALLQ_MANAGER" --name "${HALLQ_MANAGER_NAME:-$HALLQ_MANAGER}" --role manager
elif [ -t 0 ]; then
  printf 'manager username (lowercase letters, digits, . _ -): '
  read -r username
  printf 'display name (e.g. 李经理): '
  read -r name
  stty -echo
  printf 'password (at least 10 characters): '
  read -r password
  stty echo
  echo
  printf '%s\n' "$password" | /usr/local/bin/hallq user add --username "$username" --name "$name" --role manager
else
  echo "make it with: sudo hallq user add --username li --name 李经理 --role manager  (the password is read from standard input)"
fi

say "done"
echo "configuration: $ETC/hall.json and $ETC/hallq.env (then: systemctl restart hallq)"
echo "logs:          journalctl -u hallq -f"
echo "backups:       /var/lib/hallq/backups (nightly), sudo hallq backup FILE (now)"
