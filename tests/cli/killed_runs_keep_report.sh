#!/usr/bin/env bash
# A coverage run killed with SIGKILL at several points never damages the report it would replace,
# and the next successful run leaves no temporary folder behind (it removes the killed runs'
# marked temporaries, whose processes are gone). Usage: killed_runs_keep_report.sh YIKE OSM
set -euo pipefail
yike=$1
osm=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
run() { "$yike" -q coverage --osm "$osm" --standard mofcom-15min --out report; }
fingerprint() { (cd report && find . -type f -print0 | sort -z | xargs -0 sha256sum); }

start=$(date +%s%N)
run
duration_ms=$((($(date +%s%N) - start) / 1000000))
fingerprint >good.sha
[ -f report/.yike-output ] || { echo "FAIL: the report has no .yike-output marker"; exit 1; }

# Kills spread over the measured duration of a whole run (about 2.5 s on Monaco), so that the later
# ones land while the folder is written or swapped, whatever the machine's load.
delays=""
for per_mille in 80 200 400 600 800 900 950 980 1000 1050; do
    delays="$delays $(awk -v d="$duration_ms" -v p="$per_mille" 'BEGIN { printf "%.3f", d * p / 1e6 }')"
done
for delay in $delays; do
    "$yike" -q coverage --osm "$osm" --standard mofcom-15min --out report &
    pid=$! # yike itself, not a subshell
    sleep "$delay"
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    if ! fingerprint | cmp -s - good.sha; then
        echo "FAIL: the report changed after a run killed at ${delay} s"
        exit 1
    fi
done
left=$(find . -maxdepth 1 -name '.report.tmp-*' | wc -l)
echo "temporaries left by the killed runs: $left"

# Temporaries of dead processes: a marked one (a killed yike run) is removed; an unmarked one
# (someone else's folder that happens to be named alike) and one of a live process are kept.
true &
dead=$!
wait "$dead"
mkdir ".report.tmp-$dead" ".report.tmp-$dead.old" ".report.tmp-$((dead + 1))" ".report.tmp-$$"
touch ".report.tmp-$dead/.yike-output" ".report.tmp-$dead.old/.yike-output" ".report.tmp-$$/.yike-output"
echo precious >".report.tmp-$((dead + 1))/notes.txt"

run
fingerprint | cmp -s - good.sha || { echo "FAIL: the report of the next run differs"; exit 1; }
[ "$(cat ".report.tmp-$((dead + 1))/notes.txt")" = precious ] || { echo "FAIL: an unmarked folder was removed"; exit 1; }
[ -f ".report.tmp-$$/.yike-output" ] || { echo "FAIL: the temporary of a live process was removed"; exit 1; }
rm -r ".report.tmp-$((dead + 1))" ".report.tmp-$$"
stray=$(find . -maxdepth 1 -name '.report.tmp-*')
if [ -n "$stray" ]; then
    echo "FAIL: temporaries remain after the next run: $stray"
    exit 1
fi
echo "ok: report intact after 10 kills over ${duration_ms} ms, no temporary left"
