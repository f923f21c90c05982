#!/usr/bin/env python3
"""ResNet-50 inference as a gpuos workload: latency, CPU time and exact syscalls per inference, per phase.

One process builds torchvision's ResNet-50 (random weights: no download; weights do not change what the OS
sees), then runs one phase per execution model (eager, CUDA graph replay), each: warm-up, then N timed
inferences with one synchronize (torch.cuda.synchronize -> cudaDeviceSynchronize) after each. The wait is
whatever the process was started with: PyTorch's default (spin), blocking sync (--blocking-sync sets
cudaDeviceScheduleBlockingSync on libcudart before torch is imported), or the GPU-job interposer
(LD_PRELOAD=libgpujob-preload.so GPUJOB_WAIT=predict|fd), which PyTorch does not know about.

Syscalls: the project's eBPF counter (natives' libgpuos.so, THREADS mode on this process), read through an mmap
with no system call, summed over every thread of the process. Phase boundaries read the process CPU clock and
getrusage (two syscalls each, outside the timed loop, subtracted from nothing: they fall between phases).
Also writes a phase marker to $GPUOS_MARK_FD when set, so external mode (gpuos-trace) splits the same phases.

  resnet_infer.py --libgpuos PATH --syscalls PATH [--batch 1] [--dtype fp16] [--iters 300] [--warmup 50]
                  [--modes eager,graph] [--blocking-sync] [--label NAME] [--out FILE.json]

Exit 2 with one line when PyTorch, torchvision or a GPU is missing, or an argument is bad.
"""
import argparse
import ctypes
import glob
import json
import os
import resource
import sys
import time


def fail(msg, code=2):
    print(f"resnet_infer: {msg}", file=sys.stderr)
    sys.exit(code)


class SyscallCounter:
    """The eBPF counter on this process: whole-process totals and per-syscall counts, read from shared memory."""
    NR, TOTAL, SLOTS = 512, 511, 256

    def __init__(self, lib_path, table_path):
        self.lib = ctypes.CDLL(lib_path)
        self.lib.gpuos_sc_open.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_int, ctypes.c_int, ctypes.c_int,
                                           ctypes.c_int, ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        self.lib.gpuos_sc_region.restype = ctypes.c_void_p
        self.lib.gpuos_sc_region.argtypes = [ctypes.c_void_p]
        self.lib.gpuos_sc_layout.argtypes = [ctypes.c_int]
        handle, log = ctypes.c_void_p(), ctypes.create_string_buffer(1 << 20)
        rc = self.lib.gpuos_sc_open(ctypes.byref(handle), 0, os.getpid(), -1, 0, 0, None, log, len(log))  # no kernel offsets: ioctl targets not needed
        if rc != 0:
            fail(f"eBPF counter: {os.strerror(-rc)} ({log.value.decode(errors='replace').strip()[:200]}); run as root")
        self.handle = handle
        self.nr, self.slots = self.lib.gpuos_sc_layout(0), self.lib.gpuos_sc_layout(1)
        off_ctrl = self.lib.gpuos_sc_layout(5)
        base = self.lib.gpuos_sc_region(handle)
        self.counts = (ctypes.c_uint64 * (self.slots * self.nr)).from_address(base)
        self.rows_in_use = ctypes.c_uint64.from_address(base + off_ctrl)
        self.names = {}
        for line in open(table_path):
            if line.strip() and not line.startswith("#"):
                nr, name = line.split()[:2]
                self.names[int(nr)] = name

    def snapshot(self):
        rows = min(int(self.rows_in_use.value), self.slots)
        per = [0] * self.nr
        for r in range(rows):
            row = self.counts[r * self.nr:(r + 1) * self.nr]
            for c in range(self.nr):
                if row[c]:
                    per[c] += row[c]
        return per


def mark(name):
    fd = os.environ.get("GPUOS_MARK_FD")
    if fd:
        os.write(int(fd), (name + "\n").encode())


def percentile(sorted_values, q):
    if not sorted_values:
        return float("nan")
    i = min(len(sorted_values) - 1, max(0, int(round(q * (len(sorted_values) - 1)))))
    return sorted_values[i]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--libgpuos", required=True, help="natives' libgpuos.so (the eBPF counter)")
    ap.add_argument("--syscalls", required=True, help="profiler's syscalls-x86_64.txt (numbers to names)")
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--dtype", choices=["fp16", "fp32"], default="fp16")
    ap.add_argument("--iters", type=int, default=300)
    ap.add_argument("--warmup", type=int, default=50)
    ap.add_argument("--modes", default="eager,graph")
    ap.add_argument("--blocking-sync", action="store_true")
    ap.add_argument("--label", default="default")
    ap.add_argument("--out")
    a = ap.parse_args()
    modes = a.modes.split(",")
    if a.batch < 1 or a.iters < 1 or a.warmup < 0 or any(m not in ("eager", "graph") for m in modes):
        fail(f"bad arguments: batch {a.batch}, iters {a.iters}, warmup {a.warmup}, modes {a.modes} (eager,graph)")
    if a.out and os.path.exists(a.out):
        fail(f"{a.out} exists already: choose another --out (results are never overwritten)")

    if a.blocking_sync:
        # Before torch creates its context: cudaDeviceScheduleBlockingSync = 4 on the runtime PyTorch uses.
        libs = glob.glob(os.path.join(sys.prefix, "lib", "python3*", "site-packages", "nvidia", "cu*", "lib", "libcudart.so.*"))
        if not libs:
            fail("--blocking-sync: no libcudart.so.* under site-packages/nvidia (PyTorch's runtime); cannot set the flag")
        rc = ctypes.CDLL(libs[0]).cudaSetDeviceFlags(4)
        if rc != 0:
            fail(f"cudaSetDeviceFlags(BlockingSync) returned {rc}")
    try:
        import torch
        import torchvision
    except ImportError as e:
        fail(f"PyTorch/torchvision missing ({e}); install them or run on the GPU node")
    if not torch.cuda.is_available():
        fail("no CUDA GPU visible to PyTorch; run on the GPU node")

    counter = SyscallCounter(a.libgpuos, a.syscalls)
    dtype = torch.float16 if a.dtype == "fp16" else torch.float32
    model = torchvision.models.resnet50(weights=None).cuda().eval().to(dtype)
    x = torch.randn(a.batch, 3, 224, 224, device="cuda", dtype=dtype)
    results = []
    with torch.inference_mode():
        for mode in modes:
            if mode == "graph":
                s = torch.cuda.Stream()
                s.wait_stream(torch.cuda.current_stream())
                with torch.cuda.stream(s):
                    for _ in range(3):
                        model(x)
                torch.cuda.current_stream().wait_stream(s)
                g = torch.cuda.CUDAGraph()
                with torch.cuda.graph(g):
                    y = model(x)
                step = g.replay
            else:
                step = lambda: model(x)
            for _ in range(a.warmup):
                step()
                torch.cuda.synchronize()
            mark(f"{mode}")
            lat = []
            ru0, cpu0, sc0 = resource.getrusage(resource.RUSAGE_SELF), time.process_time_ns(), counter.snapshot()
            t_all = time.perf_counter_ns()
            for _ in range(a.iters):
                t0 = time.perf_counter_ns()
                step()
                torch.cuda.synchronize()
                lat.append(time.perf_counter_ns() - t0)
            wall = time.perf_counter_ns() - t_all
            sc1 = counter.snapshot()
            cpu1, ru1 = time.process_time_ns(), resource.getrusage(resource.RUSAGE_SELF)
            mark("between")
            by_name = {counter.names.get(c, str(c)): (sc1[c] - sc0[c]) / a.iters for c in range(counter.TOTAL) if sc1[c] != sc0[c]}
            lat.sort()
            n = a.iters
            results.append({
                "label": a.label, "mode": mode, "batch": a.batch, "dtype": a.dtype, "iters": n,
                "blockingSync": a.blocking_sync, "preload": os.environ.get("LD_PRELOAD", ""),
                "gpujobWait": os.environ.get("GPUJOB_WAIT", ""),
                "latencyMs": {"mean": wall / n / 1e6, "p50": percentile(lat, 0.5) / 1e6, "p99": percentile(lat, 0.99) / 1e6},
                "cpuMsPerInference": (cpu1 - cpu0) / n / 1e6,
                # The counter's snapshot itself makes no syscall; the clock and getrusage reads are outside [sc0, sc1].
                "syscallsPerInference": (sc1[counter.TOTAL] - sc0[counter.TOTAL]) / n,
                "syscallsByName": dict(sorted(by_name.items(), key=lambda kv: -kv[1])),
                "voluntaryCtxPerInference": (ru1.ru_nvcsw - ru0.ru_nvcsw) / n,
                "involuntaryCtxPerInference": (ru1.ru_nivcsw - ru0.ru_nivcsw) / n,
            })
            r = results[-1]
            print(f"resnet_infer: {a.label} {mode} bs{a.batch} {a.dtype}: {r['latencyMs']['mean']:.3f} ms/inf "
                  f"(p50 {r['latencyMs']['p50']:.3f}, p99 {r['latencyMs']['p99']:.3f}), CPU {r['cpuMsPerInference']:.3f} ms/inf, "
                  f"{r['syscallsPerInference']:.2f} syscalls/inf {dict(list(r['syscallsByName'].items())[:5])}, "
                  f"vcsw {r['voluntaryCtxPerInference']:.2f}", flush=True)
    if a.out:
        tmp = a.out + ".partial"
        with open(tmp, "w") as f:
            json.dump(results, f, indent=1)
        os.rename(tmp, a.out)


if __name__ == "__main__":
    main()
