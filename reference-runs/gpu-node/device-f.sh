#!/usr/bin/env bash
# Node calls for issue 11's reference run (preset node), 2026-12-02. Needs .bundle/ carried (scripts/bundle first).
#   bash reference-runs/gpu-node/device-f.sh 1                 the GPU tests, then cuda-wait, cuda-spin, cuda-execution-*
#   bash reference-runs/gpu-node/device-f.sh 2 RUN_DIR         cuda-runtime-* and the NVIDIA OpenCL parts, resumed into RUN_DIR
# Results: $OUT/gpuos-results.tar.gz (re-packed every minute by the bundle's run, so a cut-off call keeps what it had).
set -uo pipefail
cd "$(dirname "$0")/../.."
rm -rf /tmp/b; mkdir -p /tmp/b && tar xzf .bundle/gpuos-bundle.tar.gz -C /tmp/b || exit 1
run=/tmp/b/gpuos-bundle/run
case ${1:?call 1 or 2} in
  1) timeout 570 bash "$run" tests node --parts '^cuda-(wait|spin|execution-bytes|execution-reps)$' ;;
  2) timeout 570 bash "$run" node --parts '^(cuda-runtime-.*|opencl-.*-nvidia)$' --resume "${2:?RUN_DIR}" ;;
esac
echo "device-f: rc=$?"
