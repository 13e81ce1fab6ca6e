#!/usr/bin/env bash
# Re-records the golden tier (docs/golden-tier.md): runs the cases of tests/golden/cases.txt with the current
# build/civicgrid and stores their data files in tests/golden/data/<case>/. Only for a reviewed change of
# behaviour or a new case, never to make a refactor pass: the recorded bytes ARE the behaviour being kept.
# Each case runs twice (-j 1 and -j 2); a case whose two runs differ is not recorded (that is a bug to report).
#
# usage: scripts/golden-record.sh [case...]     (no case: every case, and stale case folders are removed)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
binary=${CIVICGRID_BINARY:-$repo/build/civicgrid}
cases_file=tests/golden/cases.txt
data_root=tests/golden/data

if [[ ! -x "$binary" ]]; then
  echo "golden-record: $binary is missing; build it first (cmake --build build -j1 --target civicgrid)" >&2
  exit 2
fi

declare -A arguments_of=()
order=()
while read -r name rest; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  if [[ -n "${arguments_of[$name]+set}" ]]; then
    echo "golden-record: $cases_file: case $name is listed twice" >&2
    exit 2
  fi
  arguments_of[$name]=$rest
  order+=("$name")
done <"$cases_file"

selected=("$@")
if [[ ${#selected[@]} -eq 0 ]]; then
  selected=("${order[@]}")
fi
for name in "${selected[@]}"; do
  if [[ -z "${arguments_of[$name]+set}" ]]; then
    echo "golden-record: no case '$name' in $cases_file (cases: ${order[*]})" >&2
    exit 2
  fi
done

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# The data files of a result folder: every regular file at any depth except manifest.json (wall time, start
# time, host, command line, git revision, output path) and report.html (a rendering of the data files that
# shows the same provenance). Anything that is neither a regular file nor a folder is refused.
data_files() {
  local folder=$1
  if [[ -n "$(find "$folder" -mindepth 1 ! -type f ! -type d -print -quit)" ]]; then
    echo "golden-record: $folder holds an entry that is neither a file nor a folder" >&2
    return 1
  fi
  (cd "$folder" && find . -type f ! -name manifest.json ! -name report.html -printf '%P\n' | LC_ALL=C sort)
}

echo "golden-record: $("$binary" --version) from $binary" >&2
for name in "${selected[@]}"; do
  read -r -a case_arguments <<<"${arguments_of[$name]}"
  for jobs in 1 2; do
    rm -rf "$scratch/$name-j$jobs"
    if ! "$binary" "${case_arguments[@]}" -j "$jobs" -q --out "$scratch/$name-j$jobs" >/dev/null 2>"$scratch/$name-j$jobs.err"; then
      echo "golden-record: case $name failed with -j $jobs:" >&2
      cat "$scratch/$name-j$jobs.err" >&2
      exit 1
    fi
  done
  list_1=$(data_files "$scratch/$name-j1")
  list_2=$(data_files "$scratch/$name-j2")
  if [[ "$list_1" != "$list_2" ]]; then
    echo "golden-record: case $name writes different files with -j 1 and -j 2; nothing recorded" >&2
    diff <(echo "$list_1") <(echo "$list_2") >&2 || true
    exit 1
  fi
  while read -r file; do
    if ! cmp -s "$scratch/$name-j1/$file" "$scratch/$name-j2/$file"; then
      echo "golden-record: case $name: $file differs between -j 1 and -j 2 (nondeterminism, a bug); nothing recorded" >&2
      diff "$scratch/$name-j1/$file" "$scratch/$name-j2/$file" | head -n 6 >&2 || true
      exit 1
    fi
  done <<<"$list_1"
  rm -rf "${data_root:?}/$name"
  while read -r file; do
    mkdir -p "$data_root/$name/$(dirname "$file")"
    cp "$scratch/$name-j1/$file" "$data_root/$name/$file"
  done <<<"$list_1"
  echo "golden-record: $name: $(wc -l <<<"$list_1") files, $(du -sk "$data_root/$name" | cut -f1) KiB" >&2
done

if [[ $# -eq 0 ]]; then
  for folder in "$data_root"/*/; do
    [[ -d "$folder" ]] || continue
    name=$(basename "$folder")
    if [[ -z "${arguments_of[$name]+set}" ]]; then
      echo "golden-record: removing $folder (no such case any more)" >&2
      rm -rf "$folder"
    fi
  done
fi
echo "golden-record: $(du -sk "$data_root" | cut -f1) KiB in $data_root; review with git diff --stat before committing" >&2
