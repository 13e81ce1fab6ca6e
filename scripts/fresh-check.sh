#!/usr/bin/env bash
# Proves the README's two commands work on a bare Debian 12 with only Debian's packages: bootstraps a minimal
# bookworm root (debootstrap), clones this checkout's committed HEAD into it, and runs ./scripts/demo.sh, then
# ./scripts/test.sh, there in a clean environment, reporting the wall time and pass/fail of each.
# Needs root (debootstrap, mount, chroot); docs/install.md has the measured times.
#
# usage: sudo scripts/fresh-check.sh [--keep] [ROOT]      (ROOT default /var/tmp/civicgrid-fresh-root)
#   --keep  reuse ROOT if an earlier run bootstrapped it (the packages setup.sh installed stay; the clone is
#           always fresh). Without it, an earlier root is deleted and bootstrapped anew.
# Logs: ROOT-logs/{debootstrap,demo,test,demo-apt,test-apt}.log.
# Exit: 0 both commands pass, 1 one fails, 2 usage or set-up problem.
set -euo pipefail

keep=false
root_arg=/var/tmp/civicgrid-fresh-root
for argument in "$@"; do
  case "$argument" in
    --keep) keep=true ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fresh-check: unknown option $argument (usage: scripts/fresh-check.sh [--keep] [ROOT])" >&2; exit 2 ;;
    *) root_arg=$argument ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "fresh-check: needs root for debootstrap, mount and chroot (run it with sudo)" >&2; exit 2; }

repo_dir=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
head_commit=$(git -C "$repo_dir" rev-parse HEAD)
root=$(realpath -m "$root_arg")
[ "$root" != / ] || { echo "fresh-check: ROOT must not be /" >&2; exit 2; }
log_dir=$root-logs
marker=$root/.civicgrid-fresh-root   # written once debootstrap succeeded: only such a folder is ever deleted
mkdir -p "$log_dir"

mounts_under_root() { findmnt -rn -o TARGET | grep -E "^$root(/|$)" || true; }

# Every mount made here is undone in reverse order on any exit; processes left inside the root (a browser
# that outlived its test) are ended first, by pid, so the unmounts are not busy. Before this run has mounted
# anything there is nothing of its own to end (another run may be using the root).
mounted=()
cleanup() {
  [ ${#mounted[@]} -gt 0 ] || return 0
  local process
  for process in /proc/[0-9]*; do
    if [ "$(readlink "$process/root" 2>/dev/null)" = "$root" ]; then kill -KILL "${process#/proc/}" 2>/dev/null || true; fi
  done
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount -R "${mounted[i]}" 2>/dev/null || umount -R -l "${mounted[i]}" || true
  done
  mounted=()
  local left
  left=$(mounts_under_root)
  [ -z "$left" ] || echo "fresh-check: WARNING: still mounted: $left" >&2
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

if [ -n "$(mounts_under_root)" ]; then
  echo "fresh-check: $root is in use (another fresh-check?): $(mounts_under_root | head -n 1) is mounted" >&2
  exit 2
fi

format_s() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

# --- the root: a minimal bookworm from the mirror this machine's apt already uses --------------------------
if $keep && [ -e "$marker" ]; then
  echo "fresh-check: reusing $root (--keep)"
else
  if [ -e "$root" ]; then
    if [ -e "$marker" ]; then
      echo "fresh-check: deleting the earlier root $root"
      rm -rf --one-file-system "$root"
    elif [ -n "$(ls -A "$root")" ]; then
      echo "fresh-check: $root exists and is not a root this script made: choose another folder" >&2
      exit 2
    fi
  fi
  if ! command -v debootstrap >/dev/null 2>&1; then
    echo "fresh-check: installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >"$log_dir/debootstrap-install.log" 2>&1 || {
      tail -n 15 "$log_dir/debootstrap-install.log" >&2; exit 2; }
  fi
  mirror=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
  mirror=${mirror:-http://deb.debian.org/debian}
  echo "fresh-check: debootstrap bookworm from $mirror into $root (log: $log_dir/debootstrap.log)"
  bootstrap_start=$SECONDS
  debootstrap --variant=minbase --include=git,ca-certificates bookworm "$root" "$mirror" \
      >"$log_dir/debootstrap.log" 2>&1 || { tail -n 15 "$log_dir/debootstrap.log" >&2; exit 2; }
  touch "$marker"
  echo "fresh-check: bootstrapped in $(format_s $((SECONDS - bootstrap_start)))"
fi

# --- what the root needs from this machine: its apt sources, name resolution, local CA certificates --------
# (HTTPS to the registries may pass an intercepting proxy whose certificate is one of the local ones.)
if compgen -G '/etc/apt/sources.list.d/*.sources' >/dev/null; then
  rm -f "$root/etc/apt/sources.list"
  cp /etc/apt/sources.list.d/*.sources "$root/etc/apt/sources.list.d/"
fi
cp /etc/resolv.conf /etc/hosts "$root/etc/"
if compgen -G '/usr/local/share/ca-certificates/*' >/dev/null; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp -r /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
fi

# --- mounts (slaves, so nothing done inside propagates back to this machine's /sys or /dev) ---------------
mount -t proc proc "$root/proc";             mounted+=("$root/proc")
mount --rbind /sys "$root/sys";              mounted+=("$root/sys");     mount --make-rslave "$root/sys"
mount --bind /dev "$root/dev";               mounted+=("$root/dev");     mount --make-rslave "$root/dev"
mount --bind /dev/pts "$root/dev/pts";       mounted+=("$root/dev/pts"); mount --make-rslave "$root/dev/pts"
mount --bind /dev/shm "$root/dev/shm";       mounted+=("$root/dev/shm"); mount --make-rslave "$root/dev/shm"

in_root() {   # in_root COMMAND: runs a bash command inside the root with a clean environment
  chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin bash -lc "$1" </dev/null
}
in_root 'update-ca-certificates >/dev/null 2>&1'

# --- a fresh clone of the committed HEAD (uncommitted changes are not part of the check) -------------------
if [ -n "$(git -C "$repo_dir" status --porcelain --untracked-files=no)" ]; then
  echo "fresh-check: note: $repo_dir has uncommitted changes; checking the committed HEAD only"
fi
rm -rf --one-file-system "$root/root/civicgrid"
git clone --quiet --no-checkout "$repo_dir" "$root/root/civicgrid"
git -C "$root/root/civicgrid" checkout --quiet --detach "$head_commit"
echo "fresh-check: cloned $repo_dir at $(git -C "$repo_dir" log -1 --format='%h %s' | cut -c1-80)"

# --- the README's two commands ---------------------------------------------------------------------------
# setup.sh writes apt's output to build/setup-apt.log: when it was last written (relative to the command's
# start) is how long apt took; a copy is kept as ROOT-logs/COMMAND-apt.log.
apt_log=$root/root/civicgrid/build/setup-apt.log
declare -A status seconds apt_note
for command in demo test; do
  echo "fresh-check: ./scripts/$command.sh (output also in $log_dir/$command.log)"
  start=$SECONDS
  start_epoch_s=$(date +%s)
  set +e
  in_root "cd /root/civicgrid && ./scripts/$command.sh" 2>&1 | tee "$log_dir/$command.log"
  status[$command]=${PIPESTATUS[0]}
  set -e
  seconds[$command]=$((SECONDS - start))
  apt_note[$command]=", no apt-get"
  if [ -f "$apt_log" ] && [ "$(stat -c %Y "$apt_log")" -ge "$start_epoch_s" ]; then
    apt_note[$command]=", apt-get $(format_s $(($(stat -c %Y "$apt_log") - start_epoch_s))) of it"
    cp "$apt_log" "$log_dir/$command-apt.log"
  fi
done
cleanup

echo
node_version=$(chroot "$root" /usr/bin/node --version 2>/dev/null || echo none)
echo "fresh-check: Debian $(cat "$root/etc/debian_version"), Node.js ${node_version#v}, commit ${head_commit:0:10}"
failed=0
for command in demo test; do
  if [ "${status[$command]}" -eq 0 ]; then verdict=passed; else verdict="FAILED (exit ${status[$command]})"; failed=1; fi
  echo "fresh-check: ./scripts/$command.sh $verdict in $(format_s "${seconds[$command]}")${apt_note[$command]}"
done
tests_line=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$log_dir/test.log" | tail -n 1 || true)
[ -z "$tests_line" ] || echo "fresh-check: ctest: $tests_line"
exit $failed
