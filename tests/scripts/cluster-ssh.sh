# cluster-ssh: scripts/cluster-run over real ssh, on this machine only.
# An sshd is started on 127.0.0.1, on a free high port, with a throwaway
# host key and user key in a temporary folder (scripts/cluster-localsshd;
# its sessions start in a folder of that temporary folder: the "remote
# home"), and killed at the end. Over "2/127.0.0.1,1/:" (two slots over
# ssh, one local) on the samples, a small make-corpus corpus, bad files and
# an awkward name:
#  - every table equals `make run`'s on the same input, byte for byte;
#  - a rerun after touching one file and adding one sends those two
#    documents only, and the tables still equal make run's; nothing is left
#    in the remote home;
#  - the job's processes are killed on the "host" mid-run (its sshd kept):
#    first a tool (deboiler, as by the OOM killer: pipeline-batch marks the
#    chunk's documents to retry, and the chunk is sent again), then a job
#    as a whole (cluster-job and all below it: parallel --retries runs it
#    again); tables equal, exit 0;
#  - the "host" dies mid-run (its sshd and sessions killed while a job runs
#    there): its chunks are done on the other host, tables equal;
# Skipped (exit 77) when sshd, parallel or rsync are missing, or sshd cannot
# be started (not root and no way to run it).
set -u
cd "$ROOT"
for c in /usr/sbin/sshd ssh ssh-keygen parallel rsync python3; do
	command -v "$c" >/dev/null 2>&1 || { echo "# $c not installed: cluster-run over ssh not tested (scripts/deps installs it as root)"; exit 77; }
done
T=$TEST_TMP/cluster-ssh
rm -rf "$T"
mkdir -p "$T/ssh" "$T/home" || exit 1
stop_sshd() { scripts/cluster-localsshd stop "$T/ssh"; }
trap 'stop_sshd' EXIT
if ! scripts/cluster-localsshd start "$T/ssh" "$T/home" 2>"$T/sshd.err"; then
	echo "# $(cat "$T/sshd.err"): cluster-run over ssh not tested"
	exit 77
fi
export CLUSTER_SSH=$T/ssh/ssh

# the input: samples, a small corpus, bad files, an awkward name
mkdir -p "$T/in/sub dir" "$T/in/corpus"
cp samples/*.txt "$T/in/"
if [ -x tests/bench/make-corpus ]; then
	tests/bench/make-corpus -q "$T/corpus" 40 7 >/dev/null 2>&1 && cp -r "$T/corpus/raw" "$T/in/corpus/"
fi
head -c 3000 /dev/urandom >"$T/in/image.png"
gzip -c samples/001_737b89c6e62b3a8d.txt | head -c 1500 >"$T/in/cut.txt.gz"
cp samples/002_1c43591e52210f05.txt "$T/in/sub dir/报告 \$HOME 'q'.txt"
ndocs=$(find "$T/in" -type f | wc -l)

job() { make --no-print-directory -f scripts/pipeline.mk BIN="$BIN_ABS" "$@" run; }
cluster() { BIN="$BIN_ABS" timeout 300 scripts/cluster-run "$@"; }
# same A B: every table of A equals B's but for the output folder's name in
# messages (absolute, or relative: "c/.raw/ID.raw")
strip() { sed -e "s#$T/[a-z0-9-]*/##g" -e 's#\([ :]\)[a-z0-9]*/\.raw/#\1.raw/#g' "$1"; }
same() {
	local t rc=0
	for t in docs sections indicators summary coverage problems; do
		cmp -s <(strip "$1/$t.tsv") <(strip "$2/$t.tsv") || { rc=1; echo "    $t.tsv differs"; diff <(strip "$1/$t.tsv") <(strip "$2/$t.tsv") | head -n 4 | sed 's/^/    /'; }
	done
	return $rc
}
sent() { sed -n 's/^\[cluster\] \([0-9]*\) documents.*/\1/p' "$1" | tail -n 1; }

# 1. from scratch (IN and OUT given relative, as `make run HOSTS=…` may)
job IN="$T/in" OUT="$T/ref" >"$T/ref.log" 2>&1 || echo "not ok - make run failed: $(tail -n 3 "$T/ref.log")"
if (cd "$T" && BIN="$BIN_ABS" timeout 300 "$ROOT/scripts/cluster-run" 2/127.0.0.1,1/: in c) >"$T/c.log" 2>&1; then
	echo "ok - cluster-run over 2/127.0.0.1,1/: ($ndocs files)"
else
	echo "not ok - cluster-run failed: $(tail -n 5 "$T/c.log")"
fi
n=$(($(wc -l <"$T/c/docs.tsv") - 1))
if [ "$(sent "$T/c.log")" = "$ndocs" ] && [ "$n" -gt 40 ] && grep -q $'\tcut\\.txt\\.gz\t\|cut.txt.gz' "$T/c/problems.tsv"; then
	echo "ok - every document sent ($ndocs), $n documents in docs.tsv, the bad ones in problems.tsv"
else
	echo "not ok - $(sent "$T/c.log") of $ndocs documents sent, $n in docs.tsv"
fi
if same "$T/ref" "$T/c"; then echo "ok - every table equals make run's"; else echo "not ok - tables differ from make run's"; fi

# 2. incremental: one file touched, one added
touch -d '2001-01-01' "$T/in/003_a8def27c1cb77f04.txt" 2>/dev/null || touch -d '2001-01-01' "$(ls "$T"/in/*.txt | head -n 1)"
cp samples/004_*.txt "$T/in/sub dir/new one.txt" 2>/dev/null || cp "$(ls "$T"/in/*.txt | tail -n 1)" "$T/in/sub dir/new one.txt"
job IN="$T/in" OUT="$T/ref" >"$T/ref2.log" 2>&1
cluster 2/127.0.0.1,1/: "$T/in" "$T/c" >"$T/c2.log" 2>&1
if [ "$(sent "$T/c2.log")" = 2 ] && same "$T/ref" "$T/c"; then
	echo "ok - a rerun sends the two documents changed; tables equal make run's"
else
	echo "not ok - rerun: $(sent "$T/c2.log") documents sent (2 expected): $(tail -n 2 "$T/c2.log")"
fi
cluster 2/127.0.0.1,1/: "$T/in" "$T/c" >"$T/c3.log" 2>&1
if [ "$(sent "$T/c3.log")" = 0 ] && same "$T/ref" "$T/c"; then
	echo "ok - a rerun with nothing changed sends nothing"
else
	echo "not ok - rerun with nothing changed: $(sent "$T/c3.log") sent"
fi

left=$(find "$T/home" -mindepth 1 -type f | head -n 3)
if [ -z "$left" ]; then
	echo "ok - nothing left on the host"
else
	echo "not ok - left on the host: $left"
fi

# 3. processes killed on the host. The tools used (BIN) are this build's,
# but deboiler is a wrapper: run on the "host" (its folder the remote home:
# not for the jobs on ":"), its first two runs wait until killed, writing
# their process id and their parent's (pipeline-batch) first.
mkdir -p "$T/wbin"
for t in encfix secsplit indtag tsvmerge pipeline-sync; do ln -s "$BIN_ABS/$t" "$T/wbin/$t"; done
cat >"$T/wbin/deboiler" <<WRAP
#!/bin/sh
case \$PWD in
"$T/home"*)
	for v in 1 2; do
		if mkdir "$T/victim\$v" 2>/dev/null; then
			echo "\$\$ \$PPID" >"$T/victim\$v/pids.part" && mv "$T/victim\$v/pids.part" "$T/victim\$v/pids"
			sleep 20
			exit 1
		fi
	done ;;
esac
exec "$BIN_ABS/deboiler" "\$@"
WRAP
chmod +x "$T/wbin/deboiler"
# kill_tree PID: PID and every process below it, killed (SIGKILL)
kill_tree() {
	local p
	for p in $(ps -o pid= --ppid "$1" 2>/dev/null); do kill_tree "$p"; done
	kill -9 "$1" 2>/dev/null
}
# victim N: waits (at most 15 s) for the Nth wrapper's process ids
victim() {
	local i
	for i in $(seq 300); do
		[ -f "$T/victim$1/pids" ] && { cat "$T/victim$1/pids"; return 0; }
		sleep 0.05
	done
	return 1
}
LAWTEXT_DATA=$ROOT/data CLUSTER_CHUNK=8 CLUSTER_KEEP=1 BIN="$T/wbin" timeout 300 scripts/cluster-run 1/127.0.0.1,1/: "$T/in" "$T/k" >"$T/k.log" 2>&1 &
run=$!
k1=0 k2=0
# (1: the tool alone; 2: the job: the wrapper's grandparent, cluster-job,
# and everything below it)
if pids=$(victim 1); then kill_tree "${pids% *}"; k1=1; fi
if pids=$(victim 2); then
	job=$(ps -o ppid= -p "${pids#* }" | tr -d ' ')
	[ -n "$job" ] && kill_tree "$job" && k2=1
fi
wait "$run"
rc=$?
# (the joblog keeps a job's last attempt only: the job killed was run again
# within the first pass, by --retries, when the second pass sent one chunk
# only, the tool's)
resent=$(awk 'FNR > 1' "$T/k/.state/cluster/joblog.2" 2>/dev/null | wc -l)
if [ "$k1" = 1 ] && grep -q 'sending them again' "$T/k.log" && [ "$rc" = 0 ] && same "$T/ref" "$T/k"; then
	echo "ok - a tool killed on the host: its chunk sent again, tables equal make run's"
else
	echo "not ok - tool killed on the host: killed=$k1 exit $rc: $(grep -v '^\[' "$T/k.log" | tail -n 3)"
fi
if [ "$k2" = 1 ] && [ "$resent" = 1 ] && [ "$rc" = 0 ] && same "$T/ref" "$T/k"; then
	echo "ok - a job killed on the host: run again (--retries), tables equal make run's"
else
	echo "not ok - job killed on the host: killed=$k2, $resent chunk(s) in the second pass (1 expected), exit $rc: $(grep -v '^\[' "$T/k.log" | tail -n 3)"
fi

# 4. the host dies while a job runs there: its sshd and every session
# killed as soon as a job's scratch folder appears in the remote home
CLUSTER_CHUNK=15 CLUSTER_KEEP=1 cluster 1/127.0.0.1,1/: "$T/in" "$T/d" >"$T/d.log" 2>&1 &
run=$!
killed=0
for i in $(seq 600); do
	if compgen -G "$T/home/lawtext-cluster.*/w.*" >/dev/null; then
		stop_sshd
		killed=1
		break
	fi
	kill -0 "$run" 2>/dev/null || break
	sleep 0.05
done
wait "$run"
rc=$?
# (killed=1: a job's scratch folder was there, a job running on the host)
if [ "$killed" = 1 ] && [ "$rc" = 0 ] && same "$T/ref" "$T/d"; then
	echo "ok - the host killed while a job ran there: its chunks redone on the other, tables equal"
else
	echo "not ok - host killed mid-run: killed=$killed exit $rc: $(tail -n 3 "$T/d.log")"
fi
exit 0
