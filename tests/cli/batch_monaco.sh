#!/usr/bin/env bash
# yike batch on the bundled Monaco sample: three runs, one of them on a corrupt extract. The other
# two complete and the failure is recorded (exit 1); each report equals the `yike coverage` run of
# the same settings (one run of two standards); --resume reruns only what changed; the combined
# table is deterministic.
#   batch_monaco.sh YIKE DATA_DIR
set -euo pipefail
. "$(dirname "$0")/batch_common.sh" "$1" "$2" yike-batch
corrupt_extract broken.osm.pbf
mkdir runs
{
  extract_run mofcom "$osm" mofcom-15min
  extract_run broken broken.osm.pbf mofcom-15min
  scenario_run gb50180 gb50180-2018,mofcom-15min
} > batch.toml

set +e; "$yike" batch batch.toml --jobs 2 --out table 2> err1.txt; rc=$?; set -e
[ "$rc" -eq 1 ] || { cat err1.txt; fail "a batch with a failing run exited $rc, expected 1"; }
grep -q '\[2/3\] broken: FAILED' err1.txt || { cat err1.txt; fail "no progress line for the failed run"; }
grep -q '\[1/3\] mofcom: done' err1.txt || { cat err1.txt; fail "no progress line for run mofcom"; }
grep -q '\[3/3\] gb50180: done' err1.txt || { cat err1.txt; fail "no progress line for run gb50180"; }
[ -f runs/mofcom/summary.md ] && [ -f runs/gb50180/summary.md ] || fail "the good runs have no report"
[ ! -e runs/broken ] || fail "the failed run left runs/broken"
grep -q '^broken,runs/broken,failed,"\?broken.osm.pbf: ' table/items.csv || { cat table/items.csv; fail "the failure is not recorded in items.csv"; }
grep -q '^broken,mofcom-15min,,,,failed,$' table/batch.csv || fail "the failed run has no row in batch.csv"
grep -q '| broken | runs/broken | failed | broken.osm.pbf: ' table/batch.md || fail "the failure is not in batch.md"
[ -s table/logs/broken.log ] || fail "no log of the failed run"
echo "ok: 2 of 3 runs completed, the corrupt extract's failure recorded, exit 1"

# Each report equals the report of the same `yike coverage` run (batch_item.txt is batch's stamp).
"$yike" -q coverage --osm "$osm" --standard mofcom-15min --out cov_mofcom
"$yike" -q coverage --scenario "$data/scenarios/monaco-mofcom.toml" --standard gb50180-2018,mofcom-15min --layers geojson --out cov_gb50180
for run in mofcom gb50180; do
  diff -r -x batch_item.txt "cov_$run" "runs/$run" > diff.txt || { head -20 diff.txt; fail "run $run differs from yike coverage"; }
done
echo "ok: both reports equal yike coverage's ($(ls cov_mofcom | wc -l) and $(ls cov_gb50180 | wc -l) files)"

# batch.csv holds every target of both reports, with the report's figures as written.
for run in mofcom gb50180; do
  targets=$(($(python3 -c 'import csv,sys; print(sum(1 for _ in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"))))' "runs/$run/summary.csv")))
  rows=$(grep -c "^$run," table/batch.csv)
  [ "$rows" -eq "$targets" ] || fail "batch.csv has $rows rows of $run, its report $targets targets"
done
python3 - runs/mofcom/summary.csv table/batch.csv <<'PY'
import csv, sys
report = {r["target_id"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"))}
for row in csv.DictReader(open(sys.argv[2], encoding="utf-8-sig")):
    if row["item"] != "mofcom":
        continue
    r = report[row["target"]]
    for a, b in (("achieved", "achieved"), ("required", "required"), ("status", "status"),
                 ("uncovered_households", "uncovered_households")):
        if row[a] != r[b]:
            sys.exit(f"FAIL: batch.csv {row['target']} {a} {row[a]} != report's {r[b]}")
PY
# A run of two standards: its rows name each target's own standard.
grep -q '^gb50180,gb50180-2018,gb50180\.' table/batch.csv && grep -q '^gb50180,mofcom-15min,mofcom\.' table/batch.csv ||
  fail "the rows of a two-standard run do not name each target's standard"
echo "ok: batch.csv has one row per run and target, figures as in the reports"
# batch.xlsx (opened with Debian's openpyxl) holds the rows of batch.csv, figures as numbers.
/usr/bin/python3 - table/batch.csv table/batch.xlsx <<'PY' || fail "batch.xlsx does not hold batch.csv's rows"
import csv, sys
import openpyxl
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))[1:]
sheet = openpyxl.load_workbook(sys.argv[2]).worksheets[0]
cells = list(sheet.iter_rows(values_only=True))
assert cells[0][0] == "运行 item" and cells[0][6] == "未覆盖户数 uncovered households", cells[0]
assert len(cells) - 1 == len(rows), (len(cells), len(rows))
for want, got in zip(rows, cells[1:]):
    for w, g in zip(want, got):
        if w == "":
            assert g is None, (want, got)
        elif isinstance(g, (int, float)):
            assert float(w) == g, (want, got)
        else:
            assert w == g, (want, got)
PY
echo "ok: batch.xlsx holds the same rows"

# --resume: the two good runs are up to date and not touched; the failed one is run again.
stamp() { stat -c '%i %Y' "runs/$1/summary.csv"; }
before_mofcom=$(stamp mofcom); before_gb=$(stamp gb50180)
cp table/batch.csv batch1.csv
set +e; "$yike" batch batch.toml --resume --out table 2> err2.txt; rc=$?; set -e
[ "$rc" -eq 1 ] || { cat err2.txt; fail "--resume exited $rc, expected 1 (the broken run fails again)"; }
grep -q 'mofcom: up to date' err2.txt && grep -q 'gb50180: up to date' err2.txt || { cat err2.txt; fail "--resume reran a run that is up to date"; }
grep -q 'broken: FAILED' err2.txt || { cat err2.txt; fail "--resume did not rerun the failed run"; }
[ "$(stamp mofcom)" = "$before_mofcom" ] && [ "$(stamp gb50180)" = "$before_gb" ] || fail "--resume rewrote an up-to-date report"
cmp batch1.csv table/batch.csv || fail "batch.csv differs between a run and its resume"
echo "ok: --resume skipped the 2 up-to-date runs, reran the failed one; batch.csv unchanged"

# --lang: batch.md in Chinese (zh) or English (en, the default's words); batch.csv never changes.
for lang in zh en; do
  set +e; "$yike" -q batch batch.toml --resume --lang $lang --out table_$lang 2> /dev/null; set -e
  cmp table/batch.csv table_$lang/batch.csv || fail "batch.csv of --lang $lang differs"
done
cmp table/batch.md table_en/batch.md || fail "batch.md of --lang en differs from the default's"
for line in '# yike 批量运行：batch.toml' '共 3 个运行：2 个有报告（其中 2 个已是最新，未重算），1 个失败。' \
            '| 运行 | 标准 | 目标 | 达到 | 要求 | 结果 | 未覆盖户数 |' '| mofcom | runs/mofcom | 已是最新 |  |' '## 各次运行' \
            '精确数值见 batch.csv；各次运行的 `yike` 输出见 logs/ITEM.log。'; do
  grep -qF -- "$line" table_zh/batch.md || { cat table_zh/batch.md; fail "batch.md of --lang zh lacks: $line"; }
done
grep -q '^| mofcom | mofcom-15min | mofcom.convenience_5min | .* | 未达标 | ' table_zh/batch.md || fail "no Chinese status in batch.md"
grep -q '^| broken | runs/broken | 失败 | broken.osm.pbf: ' table_zh/batch.md || fail "the failure is not in the Chinese batch.md"
# No English left but the failed run's error message (yike's own, in English).
/usr/bin/python3 - table_zh/batch.md <<'PY' || fail "batch.md of --lang zh has English words"
import re, sys
for line in open(sys.argv[1], encoding="utf-8"):
    if "broken.osm.pbf: " in line:
        continue
    words = [w.strip(",;:.()|*") for w in line.split()]
    run = 0
    for w in words:
        run = run + 1 if re.fullmatch(r"[A-Za-z]+", w) else 0
        assert run < 3, line
PY
echo "ok: --lang zh writes batch.md in Chinese, --lang en as the default"

# A changed setting reruns that run only; a repaired input lets the failed run complete.
sed -i 's/^layers = "geojson"/layers = "geojson"\nmax_snap_m = 250/' batch.toml
cp "$osm" broken.osm.pbf
"$yike" batch batch.toml --resume --jobs 2 --out table 2> err3.txt || { cat err3.txt; fail "the repaired batch failed"; }
grep -q 'mofcom: up to date' err3.txt || { cat err3.txt; fail "run mofcom was rerun though nothing of it changed"; }
grep -q 'gb50180: done' err3.txt || { cat err3.txt; fail "run gb50180 was not rerun after its max_snap_m changed"; }
grep -q 'broken: done' err3.txt || { cat err3.txt; fail "the repaired run did not complete"; }
[ "$(stamp mofcom)" = "$before_mofcom" ] || fail "run mofcom was rewritten"
grep -q '^broken,runs/broken,done,$' table/items.csv || fail "items.csv does not show the repaired run done"
# An input's contents (not its name) decide: the same bytes under the same name are up to date.
touch broken.osm.pbf
"$yike" -q batch batch.toml --resume --out table
grep -q '^broken,runs/broken,up to date,$' table/items.csv || fail "touching an input without changing it reran the run"
printf '\n' >> broken.osm.pbf
set +e; "$yike" batch batch.toml --resume --out table 2> err4.txt; set -e
grep -q 'broken: started' err4.txt || { cat err4.txt; fail "a changed extract did not rerun its run"; }
echo "ok: a changed setting and a changed input rerun their run only"
