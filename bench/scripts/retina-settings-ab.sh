#!/bin/bash
# A/B of thread and GC settings on 20 consecutive paper-RetinaNet steps (bench/diag/RetinaSteps),
# one JVM per variant, order A B C D E then E D C B A (docs/PERF.md, "thread, GC and allocator
# settings"). Run after a build, on a quiet machine: bench/scripts/retina-settings-ab.sh
# (BATCH=8 for batch 8; OUT=DIR for the per-run step lines, default bench/target/settings-ab).
set -u
cd "$(dirname "$0")/../.."
CP="bench/target/pneumolab-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt)"
JO="-Xmx6g -Dorg.bytedeco.javacpp.maxbytes=8g -Dorg.bytedeco.javacpp.maxphysicalbytes=15g -Djava.awt.headless=true"
run() { # name env... -- jvmflags
  local name=$1; shift
  local envs=(); while [ "$1" != "--" ]; do envs+=("$1"); shift; done; shift
  echo "== $name load $(cut -d' ' -f1-3 /proc/loadavg) $(date -u +%T)"
  env "${envs[@]}" java $JO "$@" -cp "$CP" org.pneumolab.bench.diag.RetinaSteps 20 ${BATCH:-2} 2>&1 | grep -E "^step|SUMMARY" > ${OUT:-bench/target/settings-ab}/$name.$round.out
  awk '/^step/ && $2+0 >= 12 {print $3}' ${OUT:-bench/target/settings-ab}/$name.$round.out | sort -n \
    | awk -v n=$name '{a[NR]=$1} END{printf "%s steps 12-20: median %.0f min %.0f max %.0f\n", n, a[int((NR+1)/2)], a[1], a[NR]}'
  grep SUMMARY ${OUT:-bench/target/settings-ab}/$name.$round.out
}
mkdir -p "${OUT:-bench/target/settings-ab}"
for round in 1 2; do
  if [ $round = 1 ]; then order="base passive active bind parallelgc"; else order="parallelgc bind active passive base"; fi
  for v in $order; do
    case $v in
      base) run base X=1 -- -Dround=$round ;;
      passive) run passive OMP_WAIT_POLICY=PASSIVE -- -Dround=$round ;;
      active) run active OMP_WAIT_POLICY=ACTIVE -- -Dround=$round ;;
      bind) run bind OMP_PROC_BIND=true OMP_PLACES=cores -- -Dround=$round ;;
      parallelgc) run parallelgc X=1 -- -XX:+UseParallelGC -Dround=$round ;;
    esac
  done
done
