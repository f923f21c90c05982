#!/usr/bin/env bash
# Regenerates the checked-in PTX (natives/src/main/resources/gpuos/natives/ptx/*.ptx) from the .cu files here.
# The PTX is committed so that machines without nvcc (CI, the build machine of a GPU bundle) still build; the
# CUDA driver JIT-compiles it for whatever GPU it finds. PtxTest fails when the committed files are stale.
#
#   natives/src/main/cuda/build-ptx.sh [OUTDIR]     (NVCC=/path/to/nvcc to choose the compiler)
#
# Target: compute_75, the lowest virtual architecture nvcc 13 accepts (compute_70 was dropped in CUDA 13).
# nvcc 13 writes `.version 9.0` (PTX ISA 9.0), which only drivers >= 580 (CUDA 13.0) load. These kernels use
# nothing newer than ISA 7.0, so the version line is lowered to 7.0 (CUDA 11.0, drivers >= 450: every CUDA 12
# driver too), and ptxas re-assembles the result to prove ISA 7.0 accepts every instruction in it.
set -euo pipefail

ARCH=75
PTX_VERSION=7.0

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:-$here/../resources/gpuos/natives/ptx}
nvcc=${NVCC:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}
if [[ ! -x $nvcc ]]; then
  echo "build-ptx: nvcc not found (PATH or /usr/local/cuda/bin): install the CUDA toolkit, or keep the committed PTX" >&2
  exit 1
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for cu in "$here"/*.cu; do
  name=$(basename "$cu" .cu)
  "$nvcc" -ptx -arch=compute_$ARCH -o "$tmp/$name.nvcc.ptx" "$cu"
  emitted=$(sed -n 's/^\.version \([0-9.]*\)$/\1/p' "$tmp/$name.nvcc.ptx")
  if [[ -z $emitted ]]; then
    echo "build-ptx: $name.ptx from $nvcc has no .version line" >&2
    exit 1
  fi
  # The version line goes down only, never up (an older nvcc already writes an older one).
  if [[ $(printf '%s\n%s\n' "$emitted" "$PTX_VERSION" | sort -V | head -n 1) == "$PTX_VERSION" && $emitted != "$PTX_VERSION" ]]; then
    sed -e "s/^\.version $emitted\$/\/\/ build-ptx.sh: nvcc wrote .version $emitted; lowered to $PTX_VERSION (checked by ptxas)\n.version $PTX_VERSION/" \
      "$tmp/$name.nvcc.ptx" > "$tmp/$name.ptx"
  else
    cp "$tmp/$name.nvcc.ptx" "$tmp/$name.ptx"
  fi
  # nvcc hands .ptx input to ptxas: an instruction ISA $PTX_VERSION lacks fails here, not on a GPU node.
  "$nvcc" -cubin -arch=sm_$ARCH -o "$tmp/$name.cubin" "$tmp/$name.ptx"
  grep -q "^\.visible \.entry $name(" "$tmp/$name.ptx" || { echo "build-ptx: $name.ptx has no entry $name (extern \"C\"?)" >&2; exit 1; }
  cp "$tmp/$name.ptx" "$out/$name.ptx"
  echo "build-ptx: $out/$name.ptx (.version $(sed -n 's/^\.version //p' "$out/$name.ptx"), .target sm_$ARCH)"
done
