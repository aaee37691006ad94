#!/usr/bin/env bash
# yike batch: runs sharing an extract and walking profiles read its walking network once. Three runs
# on the Monaco extract (two standards, other snap distance and demand settings) give reports equal
# to three separate `yike coverage` runs, while the network is read by one process only and each run
# loads it; two runs sharing a corrupt extract both fail with the extract's error (the failed shared
# read is recorded and each run reads the extract itself); a run alone on its extract shares nothing.
#   batch_shared_network.sh YIKE DATA_DIR
set -euo pipefail
. "$(dirname "$0")/batch_common.sh" "$1" "$2" yike-batch-net
corrupt_extract broken.osm.pbf
cp "$osm" alone.osm.pbf
{
  extract_run mofcom "$osm" mofcom-15min
  extract_run broken1 broken.osm.pbf mofcom-15min
  scenario_run gb50180 gb50180-2018
  echo
  extract_run broken2 broken.osm.pbf gb50180-2018
  scenario_run seniors gb50180-2018
  cat <<TOML
max_snap_m = 200
[run.demand]
senior_share = 0.25

TOML
  extract_run alone alone.osm.pbf mofcom-15min
} > batch.toml

set +e; "$yike" batch batch.toml --jobs 2 --out table 2> err.txt; rc=$?; set -e
[ "$rc" -eq 1 ] || { cat err.txt; fail "exit $rc, expected 1 (two runs on a corrupt extract)"; }
# Two shared networks (monaco: 3 runs; broken: 2 runs); the run alone on its extract reads it itself.
grep -q '^\[network 1/2\] monaco.osm.pbf: reading the walking network once for 3 runs$' err.txt ||
  { cat err.txt; fail "no shared read of monaco.osm.pbf for 3 runs"; }
grep -q '^\[network 1/2\] monaco.osm.pbf: read once in ' err.txt || { cat err.txt; fail "monaco's network was not read"; }
grep -q '^\[network 2/2\] broken.osm.pbf: FAILED in .*; its runs read the extract themselves$' err.txt ||
  { cat err.txt; fail "the corrupt extract's shared read is not reported as failed"; }
[ "$(grep -c '^\[network ' err.txt)" -eq 4 ] || { cat err.txt; fail "expected 2 shared networks (4 lines)"; }
for run in mofcom gb50180 seniors; do
  grep -q "^\[[0-9]/6\] $run: started (shared network 1)$" err.txt || { cat err.txt; fail "run $run did not use network 1"; }
  grep -q "^walking networks of .*monaco.osm.pbf: read once by the batch, loaded from " "table/logs/$run.log" ||
    { cat "table/logs/$run.log"; fail "run $run did not load the shared network"; }
done
grep -q '^\[6/6\] alone: started$' err.txt || { cat err.txt; fail "the run alone on its extract should share nothing"; }
if grep -q 'loaded from' table/logs/alone.log; then fail "the run alone loaded a shared network"; fi
# Monaco's network was read by exactly one process: the builder's log is the only one that says so,
# and it names the three runs' extract.
grep -l 'reading the walking networks of .*monaco.osm.pbf' table/logs/*.log table/logs/networks/*.log > readers.txt || true
[ "$(cat readers.txt)" = "table/logs/networks/1.log" ] || { cat readers.txt; fail "the network was read elsewhere too"; }
for run in broken1 broken2; do
  grep -q "^\[[0-9]/6\] $run: FAILED in .*: broken.osm.pbf: " err.txt || { cat err.txt; fail "$run did not fail on its own"; }
  grep -q "^$run,runs/$run,failed,\"\?broken.osm.pbf: " table/items.csv || { cat table/items.csv; fail "$run's error"; }
done
grep -q '^| .*monaco.osm.pbf | walk, senior | mofcom, gb50180, seniors | read once |$' table/batch.md ||
  { cat table/batch.md; fail "batch.md does not list the shared network"; }
grep -q '^| broken.osm.pbf | walk, senior | broken1, broken2 | not built (broken.osm.pbf: .*): each run read the extract itself |$' table/batch.md ||
  { cat table/batch.md; fail "batch.md does not record the failed shared read"; }
[ -s table/logs/networks/2.log ] || fail "no log of the failed shared read"
echo "ok: monaco's network read once for 3 runs, the corrupt extract's runs fail on their own"

# Each report equals the separate `yike coverage` run's, byte for byte.
"$yike" -q coverage --osm "$osm" --standard mofcom-15min --out cov_mofcom
"$yike" -q coverage --scenario "$data/scenarios/monaco-mofcom.toml" --standard gb50180-2018 --layers geojson --out cov_gb50180
# `yike coverage` has no senior-share option: the seniors run alone in a batch, which reads the
# extract itself (tests/cli/batch_monaco.sh checks such a run against `yike coverage`).
sed -n '/^name = "seniors"/,/^senior_share/p' batch.toml | sed -e '1i [[run]]' -e 's|runs/seniors|cov_seniors|' > single.toml
"$yike" -q batch single.toml --out single_table
if grep -q 'loaded from' single_table/logs/seniors.log; then fail "a single run loaded a shared network"; fi
"$yike" -q coverage --osm alone.osm.pbf --standard mofcom-15min --out cov_alone
for run in mofcom gb50180 seniors alone; do
  diff -r -x batch_item.txt "cov_$run" "runs/$run" > diff.txt || { head -20 diff.txt; fail "run $run differs from yike coverage"; }
done
# The senior settings took effect (the comparison above is not of identical runs).
if diff -q -r -x batch_item.txt cov_gb50180 cov_seniors > /dev/null; then fail "the seniors run equals the gb50180 run"; fi
echo "ok: the 3 runs sharing a network and the run alone equal yike coverage ($(ls cov_mofcom | wc -l) files each)"
