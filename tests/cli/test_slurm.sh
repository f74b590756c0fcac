#!/usr/bin/env bash
# Sharded extraction under real Slurm (issue 13): starts a private single-node cluster
# (munged + slurmctld + slurmd, every file in the scratch folder, killed on exit),
# submits docs/scale-out/extract_array.sbatch as a 3-task job array and merge.sbatch
# as a job depending on it, and checks that the result equals a single run byte for
# byte (per-image outputs) and in counts.
# Exit 77 (ctest skip) when Slurm is not installed, not run as root, or the daemons
# are not up within 60 s; MNT_REQUIRE_SLURM=1 turns those skips into failures.
# Nothing outside the scratch folder is read or written but the installed programs.
# usage: test_slurm.sh PATH/TO/minutiae REPO_ROOT
M=$(readlink -f "${1:?usage: test_slurm.sh MINUTIAE REPO}")
REPO=$(readlink -f "${2:?usage: test_slurm.sh MINUTIAE REPO}")
skip() {
    echo "skipped: $*"
    [ "${MNT_REQUIRE_SLURM:-0}" = 1 ] && exit 1
    exit 77
}
for c in munged slurmctld slurmd sbatch sinfo squeue scontrol scancel; do
    command -v "$c" >/dev/null || skip "$c is not installed (apt-get install -y slurm-wlm)"
done
[ "$(id -u)" -eq 0 ] || skip "the private Slurm cluster runs as root (SlurmUser=root)"
. "$(dirname "$0")/lib.sh"

now() { date +%s%N; }
secs() { local d=$(($(now) - $1)); printf '%d.%02d' $((d / 1000000000)) $((d % 1000000000 / 10000000)); }

# --- the cluster ----------------------------------------------------------------
# munged insists that everyone may traverse to its socket, and that only its owner
# may read the key
chmod 711 "$T"
mkdir -m 700 "$T/munge"
mkdir -m 755 "$T/sock"
mkdir -m 755 "$T/log"
mkdir -p "$T/state" "$T/spool" "$T/jobs"
if command -v mungekey >/dev/null; then
    mungekey -c -k "$T/munge/munge.key" 2>"$T/err" || skip "mungekey failed: $(cat "$T/err")"
else
    dd if=/dev/urandom of="$T/munge/munge.key" bs=1 count=1024 2>/dev/null
fi
chmod 600 "$T/munge/munge.key"
SOCK=$T/sock/munge.socket

# two free TCP ports (one cluster per run, so runs may overlap)
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for _ in 1 2 3 4 5 6 7 8 9 10; do
    PORT=$((20000 + RANDOM % 30000))
    port_free "$PORT" && port_free $((PORT + 1)) && break
done
# the node as slurmd sees it (name, CPUs, sockets, memory), so that it is not drained
NODE=$(slurmd -C 2>/dev/null | grep '^NodeName=')
[ -n "$NODE" ] || skip "slurmd -C does not describe this node"
H=${NODE#NodeName=}
H=${H%% *}
cat >"$T/slurm.conf" <<EOF
ClusterName=minutiae-test
SlurmctldHost=$H(127.0.0.1)
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$SOCK
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/log/slurmctld.log
SlurmdLogFile=$T/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
SwitchType=switch/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MailProg=/bin/true
ReturnToService=2
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=600
$NODE NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=test Nodes=$H Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$T/slurm.conf

PIDS=()
cleanup() {
    # jobs first (their steps are children of slurmd), then the daemons, newest first
    if [ -n "${up:-}" ]; then
        scancel --quiet --user=root 2>/dev/null
        sleep 1
    fi
    local i
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill "${PIDS[i]}" 2>/dev/null; done
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do wait "${PIDS[i]}" 2>/dev/null; done
    rm -rf "$T"
}
trap cleanup EXIT
# logs: the tails of the daemons' logs, for a skip or a failure
logs() { local f; for f in "$T"/log/*; do echo "--- $f"; tail -5 "$f"; done; }

t0=$(now)
munged -F --key-file="$T/munge/munge.key" --socket="$SOCK" --pid-file="$T/munge/munged.pid" \
    --log-file="$T/log/munged.log" --seed-file="$T/munge/munged.seed" >"$T/log/munged.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do [ -S "$SOCK" ] && break; sleep 0.1; done
[ -S "$SOCK" ] || { logs; skip "munged did not start"; }
slurmctld -D -i >"$T/log/slurmctld.out" 2>&1 &
PIDS+=($!)
slurmd -D >"$T/log/slurmd.out" 2>&1 &
PIDS+=($!)
up=
for _ in $(seq 120); do
    if [ "$(sinfo -h -n "$H" -o %t 2>/dev/null)" = idle ]; then up=1; break; fi
    sleep 0.5
done
[ -n "$up" ] || { logs; skip "the node was not idle within 60 s ($(sinfo -h -o '%t %E' 2>&1 | head -1))"; }
echo "slurm: munged + slurmctld + slurmd up, node idle, in $(secs "$t0") s"

# --- the batch --------------------------------------------------------------------
check "synth" 0 "$M" synth -o "$T/truth" -n 6 --seed 6200 -q
mkdir -p "$T/in"
cp "$T"/truth/latent_*.png "$T/in/"
rm -f "$T"/in/*.mask.png
[ "$(ls "$T/in" | wc -l)" -eq 6 ] && ok || bad "expected 6 latents to extract"
t1=$(now)
check "single run" 0 "$M" extract "$T/in" -o "$T/ref" -r -q
echo "slurm: single run of 6 latents in $(secs "$t1") s"

# the array as documented; tasks ask for 1 CPU and little memory, so that they fit (and
# run side by side) on any machine; the merge waits for every task (afterany)
t2=$(now)
ARR=$(sbatch --parsable --chdir="$T/jobs" --array=1-3 --cpus-per-task=1 --mem=256M \
    --export=ALL,MINUTIAE="$M" "$REPO/docs/scale-out/extract_array.sbatch" "$T/in" "$T/out_slurm" 2>"$T/err")
[ -n "$ARR" ] && ok || { bad "array submission failed: $(cat "$T/err")"; finish; exit; }
MRG=$(sbatch --parsable --chdir="$T/jobs" --mem=256M --dependency=afterany:"$ARR" \
    --export=ALL,MINUTIAE="$M" "$REPO/docs/scale-out/merge.sbatch" "$T/out_slurm" 2>"$T/err")
[ -n "$MRG" ] && ok || bad "merge submission failed: $(cat "$T/err")"
# wait (at most 120 s) until neither job is queued or running
done_=
for _ in $(seq 240); do
    if [ -z "$(squeue -h -j "$ARR${MRG:+,$MRG}" -o %i 2>/dev/null)" ]; then done_=1; break; fi
    sleep 0.5
done
[ -n "$done_" ] && ok || bad "the jobs did not end within 120 s: $(squeue -h 2>&1 | head -5)"
echo "slurm: array of 3 tasks + merge job in $(secs "$t2") s"

# every array task and the merge completed with exit 0
scontrol -o show job "$ARR" >"$T/arr.txt" 2>&1
n=$(grep -c 'ArrayTaskId=' "$T/arr.txt")
nok=$(grep 'ArrayTaskId=' "$T/arr.txt" | grep 'JobState=COMPLETED' | grep -c 'ExitCode=0:0')
[ "$n" -eq 3 ] && [ "$nok" -eq 3 ] && ok || {
    bad "$nok of $n array tasks completed with exit 0 (3 expected)"
    grep -o 'ArrayTaskId=[^ ]* JobName=[^ ]*\|JobState=[^ ]*\|ExitCode=[^ ]*' "$T/arr.txt"
    tail -3 "$T"/jobs/minutiae-extract-*.log 2>/dev/null
}
if [ -n "$MRG" ]; then
    scontrol -o show job "$MRG" >"$T/mrg.txt" 2>&1
    grep 'JobState=COMPLETED' "$T/mrg.txt" | grep -q 'ExitCode=0:0' && ok || {
        bad "the merge job did not complete with exit 0: $(grep -o 'JobState=[^ ]*\|ExitCode=[^ ]*' "$T/mrg.txt" | tr '\n' ' ')"
        tail -3 "$T"/jobs/minutiae-merge-*.log 2>/dev/null
    }
fi
# each task wrote its own log (the script's --output pattern) and its own shard report
[ "$(ls "$T"/jobs/minutiae-extract-"$ARR"_*.log 2>/dev/null | wc -l)" -eq 3 ] && ok || bad "expected 3 task logs in $T/jobs"
for k in 1 2 3; do [ -s "$T/out_slurm/report.$k-of-3.json" ] && ok || bad "no report of shard $k"; done

# per-image outputs equal the single run's, byte for byte, and no more
n=0 ndiff=0
while IFS= read -r f; do
    rel=${f#"$T/ref"/}
    n=$((n + 1))
    cmp -s "$f" "$T/out_slurm/$rel" || ndiff=$((ndiff + 1))
done < <(find "$T/ref" -type f \( -name '*.iso' -o -name '*.overlay.png' -o -name 'latent_*.json' \))
nb=$(find "$T/out_slurm" -type f \( -name '*.iso' -o -name '*.overlay.png' -o -name 'latent_*.json' \) 2>/dev/null | wc -l)
[ "$n" -eq 18 ] && [ "$nb" -eq "$n" ] && [ "$ndiff" -eq 0 ] && ok ||
    bad "array outputs differ from the single run ($n reference files, $nb array files, $ndiff differ)"
summary() { grep -o '"summary": {[^}]*}' "$1" 2>/dev/null; }
[ -n "$(summary "$T/ref/report.json")" ] &&
    [ "$(summary "$T/ref/report.json")" = "$(summary "$T/out_slurm/report.json")" ] && ok ||
    bad "merged counts differ from the single run: $(summary "$T/out_slurm/report.json")"
grep -q '"shards": {"n": 3, "found": 3, "missing": \[\]}' "$T/out_slurm/report.json" 2>/dev/null && ok ||
    bad "merged report does not account for the 3 shards"

[ "$fail" -eq 0 ] || logs
finish
