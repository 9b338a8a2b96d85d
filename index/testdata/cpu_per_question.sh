#!/bin/sh
# CPU per question of one `factbot ask --json` batch process, side by side
# with SQLite FTS5 over the same texts (fts5_baseline.py), on the dev
# questions: user+sys of all of them minus a run with the first ten only,
# divided by the rest. Run from the repository's root:
#
#	sh index/testdata/cpu_per_question.sh [RUNS]
#
# Prints one line per run and the median; check `uptime` first, the
# machine's load shows in the numbers.
set -eu
runs=${1:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go run index/testdata/devquestions.go knowledge/base > "$tmp/all"
head -n 10 "$tmp/all" > "$tmp/ten"
n=$(($(wc -l < "$tmp/all") - 10))
go build -o "$tmp/factbot" ./cmd/factbot
# cpu FILE CMD...: user+sys seconds of CMD with FILE on stdin.
cpu() {
	f=$1
	shift
	/usr/bin/time -f '%U %S' -o "$tmp/t" "$@" < "$f" > /dev/null
	awk '{ print $1 + $2 }' "$tmp/t"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo "load: $(uptime | sed 's/.*load average: //')"
for i in $(seq "$runs"); do
	fa=$(cpu "$tmp/all" "$tmp/factbot" ask --json)
	ft=$(cpu "$tmp/ten" "$tmp/factbot" ask --json)
	sa=$(cpu "$tmp/all" python3 index/testdata/fts5_baseline.py knowledge/base /dev/stdin)
	st=$(cpu "$tmp/ten" python3 index/testdata/fts5_baseline.py knowledge/base /dev/stdin)
	f=$(echo "$fa $ft $n" | awk '{ printf "%.3f", ($1 - $2) / $3 * 1000 }')
	s=$(echo "$sa $st $n" | awk '{ printf "%.3f", ($1 - $2) / $3 * 1000 }')
	echo "run $i: factbot $f ms/question, fts5 $s ms/question"
	echo "$f" >> "$tmp/f"
	echo "$s" >> "$tmp/s"
done
echo "median of $runs: factbot $(median < "$tmp/f") ms, fts5 $(median < "$tmp/s") ms per question ($n questions); load: $(uptime | sed 's/.*load average: //')"
