#!/usr/bin/env bash
# The JMH launch round trip under load (issue 10 item 4, "the same for the JMH launch round trip"): N = 1 2 4 8 16 32
# concurrent JMH processes of CudaJobs.launchSync (one fork each, started together; sample mode, so each process gives
# its p50 and p99) per wait mode. Process 0 alone carries the syscall profiler (N counters would tax every syscall N
# times), so CPU and syscalls per op are process 0's; times-<i>.txt keeps each process's whole CPU time (bash `times`:
# the JMH host JVM and its fork, start-up included). Processes start together but not in lock step: the warm-up
# iteration absorbs the skew of their starts, and the measured iterations of N processes overlap, not coincide.
#
#   bash reference-runs/gpu-job/node-load-jmh.sh OUTDIR      (NS="1 2 4 8 16 32", MODES="spin blocking predict",
#                                                             BENCH, PARAMS, JAVA, JAR: defaults below)
# Needs the bundle unpacked (JAVA, JAR) or a local build. A (mode, N) folder with a done file is skipped, so a cut-off
# call resumes. Time: a process is ~3 s of start (more when 32 share 16 cores) + 1 x 500 ms warm-up + 3 x 500 ms;
# 6 N x 3 modes ~ 18 x 8 s ~ 2.5 min on the 16-core node.
# Summary: python3 reference-runs/gpu-job/summarize-load-jmh.py OUTDIR
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${1:?usage: node-load-jmh.sh OUTDIR}
java=${JAVA:-/tmp/b/gpuos-bundle/jdk/bin/java} jar=${JAR:-/tmp/b/gpuos-bundle/gpuos.jar}
bench=${BENCH:-'gpuos.benchmarks.jobs.CudaJobs.launchSync$'}
params=${PARAMS:-}
[[ -x $java && -f $jar ]] || { echo "node-load-jmh: $java or $jar missing: unpack the bundle (tar xzf .bundle/gpuos-bundle.tar.gz -C /tmp/b) or set JAVA and JAR" >&2; exit 2; }
mkdir -p "$out"
for mode in ${MODES:-spin blocking predict}; do
  for n in ${NS:-1 2 4 8 16 32}; do
    d=$out/$mode/n-$n
    [[ -f $d/done ]] && continue
    rm -rf "$d"; mkdir -p "$d"
    pids=()
    for i in $(seq 0 $((n - 1))); do
      prof=(); [[ $i == 0 ]] && prof=(-prof gpuos.profiler.LinuxSyscallProfiler)
      # shellcheck disable=SC2086 # $params is a list of JMH options
      ( "$java" --enable-native-access=ALL-UNNAMED -Djmh.ignoreLock=true -jar "$jar" \
          "$bench" -p waitMode="$mode" $params -bm sample -tu us -f 1 -wi 1 -w 500ms -i 3 -r 500ms \
          -jvmArgsAppend --enable-native-access=ALL-UNNAMED "${prof[@]}" -rf json -rff "$d/proc-$i.json" > "$d/proc-$i.log" 2>&1
        rc=$?; times > "$d/times-$i.txt"; exit $rc ) &
      pids+=($!)
    done
    ok=1
    for p in "${pids[@]}"; do wait "$p" || ok=0; done
    if [[ $ok == 1 ]]; then touch "$d/done"; echo "node-load-jmh: $mode N=$n done"; else echo "node-load-jmh: $mode N=$n: a process failed: $(grep -lv '^#' "$d"/proc-*.log | head -1)"; fi
  done
done
