#!/usr/bin/env python3
"""ResNet-50 inference as a gpuos workload: latency, CPU time and exact syscalls per inference, per phase.

One process builds torchvision's ResNet-50 (random weights: no download; weights do not change what the OS
sees), then runs one phase per execution model (eager, CUDA graph replay), each: warm-up, then N timed
inferences with one synchronize (torch.cuda.synchronize -> cudaDeviceSynchronize) after each. The wait (--wait):
PyTorch's default (spin), blocking sync (cudaDeviceScheduleBlockingSync set on libcudart before torch is
imported), or the GPU-job interposer (job-fd, job-predict: the script re-execs itself with
LD_PRELOAD=--gpujob-preload and GPUJOB_WAIT=fd|predict, which PyTorch does not know about). --allocator off sets
PYTORCH_NO_CUDA_MEMORY_CACHING=1 before torch is imported (read once, when its allocator starts), so every tensor
is a cudaMalloc/cudaFree; CUDA graph capture may refuse that: the mode then records its error (exit 4).

Syscalls (with --libgpuos): the project's eBPF counter (natives' libgpuos.so, THREADS mode on this process), read
through an mmap with no system call, summed over every thread of the process. Phase boundaries read the process
CPU clock and getrusage (outside the timed loop). Per inference it records latency samples (p50, p99), CPU time
(user, system), voluntary and involuntary context switches.

Markers: when $GPUOS_MARK_FD is set (gpuos-trace), one write per phase in external mode's format with the
operation count: "build", "<mode>.warmup N", "<mode>.infer N", "<mode>.report", so gpuos-trace's results are per
inference. --barrier PATH (for concurrent processes): after the first warm-up, create PATH.<pid>.ready and wait
until PATH exists, so N processes time the same interval; wall-clock start and end are in the JSON.

  resnet_infer.py [--libgpuos PATH --syscalls PATH] [--batch 1] [--dtype fp16] [--iters 300] [--warmup 50]
                  [--modes eager,graph] [--wait default|blocking|job-fd|job-predict] [--gpujob-preload PATH]
                  [--allocator caching|off] [--barrier PATH] [--label NAME] [--out FILE.json]

Exit 3 with one line "resnet_infer: skipped: ..." when PyTorch, torchvision or a CUDA GPU is missing; exit 2 with
one line for a bad argument or a counter that cannot start; exit 4 when a mode failed (the others are written).
"""
import argparse
import ctypes
import glob
import importlib.util
import json
import os
import resource
import sys
import time


def fail(msg, code=2):
    print(f"resnet_infer: {msg}", file=sys.stderr)
    sys.exit(code)


def skip(msg):
    """Not an error: this machine cannot run the workload. One line, exit 3, so callers can tell it apart."""
    print(f"resnet_infer: skipped: {msg}", file=sys.stderr)
    sys.exit(3)


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


def mark(name, ops=None):
    """One write(2) per marker (external mode's protocol); "name N" makes gpuos-trace's results per operation."""
    fd = os.environ.get("GPUOS_MARK_FD")
    if fd:
        os.write(int(fd), (name + ("" if ops is None else f" {ops}") + "\n").encode())


def reexec_with_interposer(a):
    """job-* waits: the interposer must be in the process from its start, so the script execs itself with it."""
    want = {"LD_PRELOAD": os.path.abspath(a.gpujob_preload), "GPUJOB_WAIT": a.wait[len("job-"):]}
    if all(os.environ.get(k) == v for k, v in want.items()):
        return
    if os.environ.get("RESNET_INFER_REEXEC"):
        fail(f"re-exec with {want} did not take: environment has LD_PRELOAD={os.environ.get('LD_PRELOAD')}")
    env = dict(os.environ, RESNET_INFER_REEXEC="1", **want)
    if a.out and "GPUJOB_REPORT" not in env:
        env["GPUJOB_REPORT"] = a.out + ".preload.json"
    sys.stdout.flush()
    os.execve(sys.executable, [sys.executable] + sys.argv, env)


def wait_at_barrier(path):
    open(f"{path}.{os.getpid()}.ready", "w").close()
    while not os.path.exists(path):
        time.sleep(0.005)


def percentile(sorted_values, q):
    if not sorted_values:
        return float("nan")
    i = min(len(sorted_values) - 1, max(0, int(round(q * (len(sorted_values) - 1)))))
    return sorted_values[i]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--libgpuos", help="natives' libgpuos.so (the eBPF counter); without it no syscalls are counted in-process")
    ap.add_argument("--syscalls", help="profiler's syscalls-x86_64.txt (numbers to names); with --libgpuos")
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--dtype", choices=["fp16", "fp32"], default="fp16")
    ap.add_argument("--iters", type=int, default=300)
    ap.add_argument("--warmup", type=int, default=50)
    ap.add_argument("--modes", default="eager,graph")
    ap.add_argument("--blocking-sync", action="store_true", help="the same as --wait blocking (kept for older commands)")
    ap.add_argument("--wait", choices=["default", "blocking", "job-fd", "job-predict"], default=None)
    ap.add_argument("--gpujob-preload", help="natives' libgpujob-preload.so, for --wait job-fd|job-predict")
    ap.add_argument("--allocator", choices=["caching", "off"], default="caching")
    ap.add_argument("--barrier", help="wait for this file to exist before timing (concurrent processes)")
    ap.add_argument("--load-rounds", help="with --barrier as a folder: rounds of N concurrent processes, e.g. 1,2,4; "
                    "this process times round k when --load-index < N_k, after DIR/round-k exists")
    ap.add_argument("--load-index", type=int, default=0)
    ap.add_argument("--label", default="default")
    ap.add_argument("--out")
    a = ap.parse_args()
    modes = a.modes.split(",")
    if a.load_rounds and not a.barrier:
        fail("--load-rounds needs --barrier DIR")
    if a.batch < 1 or a.iters < 1 or a.warmup < 0 or any(m not in ("eager", "graph") for m in modes):
        fail(f"bad arguments: batch {a.batch}, iters {a.iters}, warmup {a.warmup}, modes {a.modes} (eager,graph)")
    if a.out and os.path.exists(a.out):
        fail(f"{a.out} exists already: choose another --out (results are never overwritten)")
    if a.blocking_sync and a.wait not in (None, "blocking"):
        fail(f"--blocking-sync and --wait {a.wait} contradict each other")
    a.wait = a.wait or ("blocking" if a.blocking_sync else "default")
    if bool(a.libgpuos) != bool(a.syscalls):
        fail("--libgpuos and --syscalls go together (the counter and its syscall names)")
    if a.wait.startswith("job-"):
        if not a.gpujob_preload or not os.path.isfile(a.gpujob_preload):
            fail(f"--wait {a.wait} needs --gpujob-preload PATH to natives' libgpujob-preload.so, got {a.gpujob_preload}")
    for mod in ("torch", "torchvision"):
        if importlib.util.find_spec(mod) is None:
            skip(f"{mod} is not installed for {sys.executable}; run on the GPU node (/opt/torch/.venv/bin/python3)")
    if a.wait.startswith("job-"):
        reexec_with_interposer(a)
    if a.allocator == "off":
        os.environ["PYTORCH_NO_CUDA_MEMORY_CACHING"] = "1"   # read by c10's allocator when torch starts it

    if a.wait == "blocking":
        # Before torch creates its context: cudaDeviceScheduleBlockingSync = 4 on the runtime PyTorch uses.
        libs = glob.glob(os.path.join(sys.prefix, "lib", "python3*", "site-packages", "nvidia", "cu*", "lib", "libcudart.so.*"))
        if not libs:
            fail("--wait blocking: no libcudart.so.* under site-packages/nvidia (PyTorch's runtime); cannot set the flag")
        rc = ctypes.CDLL(libs[0]).cudaSetDeviceFlags(4)
        if rc != 0:
            fail(f"cudaSetDeviceFlags(BlockingSync) returned {rc}")
    try:
        import torch
        import torchvision
    except ImportError as e:
        skip(f"PyTorch/torchvision cannot be imported ({e}); run on the GPU node")
    if not torch.cuda.is_available():
        skip("no CUDA GPU visible to PyTorch; run on the GPU node")

    counter = SyscallCounter(a.libgpuos, a.syscalls) if a.libgpuos else None
    mark("build")
    dtype = torch.float16 if a.dtype == "fp16" else torch.float32
    model = torchvision.models.resnet50(weights=None).cuda().eval().to(dtype)
    x = torch.randn(a.batch, 3, 224, 224, device="cuda", dtype=dtype)
    meta = {"label": a.label, "batch": a.batch, "dtype": a.dtype, "iters": a.iters, "warmup": a.warmup,
            "wait": a.wait, "allocator": a.allocator, "blockingSync": a.wait == "blocking",
            "preload": os.environ.get("LD_PRELOAD", ""), "gpujobWait": os.environ.get("GPUJOB_WAIT", ""),
            "torch": torch.__version__, "gpu": torch.cuda.get_device_name(0), "pid": os.getpid()}
    results, failed = [], []
    rounds = [int(n) for n in a.load_rounds.split(",")] if a.load_rounds else None
    with torch.inference_mode():
        for i, mode in enumerate(modes):
            try:
                step = make_step(mode, model, x)
                if rounds is None:
                    results.append(run_mode(a, mode, step, counter, meta, barrier=a.barrier if i == 0 else None))
                    continue
                for k, n in enumerate(rounds):
                    # A process idle in round k goes on to round k+1's barrier; the controller opens it only when
                    # all of its N processes are ready, so round k has ended by then.
                    if a.load_index < n:
                        results.append(run_mode(a, mode, step, counter, dict(meta, loadN=n, loadIndex=a.load_index, loadRound=k),
                                                barrier=os.path.join(a.barrier, f"round-{k}")))
            except Exception as e:   # noqa: BLE001 - a mode that cannot run (graph capture without the caching allocator) is data
                failed.append(mode)
                results.append(dict(meta, mode=mode, error=f"{type(e).__name__}: {e}"[:500]))
                print(f"resnet_infer: {a.label} {mode}: failed: {results[-1]['error']}", file=sys.stderr, flush=True)
    if a.out:
        tmp = a.out + ".partial"
        with open(tmp, "w") as f:
            json.dump(results, f, indent=1)
        os.rename(tmp, a.out)
    if failed:
        fail(f"mode(s) {','.join(failed)} failed (said above; the others are written)", code=4)


def make_step(mode, model, x):
    import torch
    if mode == "graph":
        s = torch.cuda.Stream()
        s.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(s):
            for _ in range(3):
                model(x)
        torch.cuda.current_stream().wait_stream(s)
        g = torch.cuda.CUDAGraph()
        with torch.cuda.graph(g):
            model(x)
        step = g.replay
    else:
        def step():
            model(x)
    return step


def run_mode(a, mode, step, counter, meta, barrier):
    import torch
    mark(f"{mode}.warmup", a.warmup or None)
    for _ in range(a.warmup):
        step()
        torch.cuda.synchronize()
    if barrier:
        wait_at_barrier(barrier)
    mark(f"{mode}.infer", a.iters)
    lat = [0] * a.iters
    ru0, cpu0 = resource.getrusage(resource.RUSAGE_SELF), time.process_time_ns()
    sc0 = counter.snapshot() if counter else None
    start_epoch_ns = time.time_ns()
    t_all = time.perf_counter_ns()
    for k in range(a.iters):
        t0 = time.perf_counter_ns()
        step()
        torch.cuda.synchronize()
        lat[k] = time.perf_counter_ns() - t0
    wall = time.perf_counter_ns() - t_all
    end_epoch_ns = time.time_ns()
    sc1 = counter.snapshot() if counter else None
    cpu1, ru1 = time.process_time_ns(), resource.getrusage(resource.RUSAGE_SELF)
    mark(f"{mode}.report")
    n = a.iters
    ordered = sorted(lat)
    r = dict(meta, mode=mode, **{
        "latencyMs": {"mean": wall / n / 1e6, "p50": percentile(ordered, 0.5) / 1e6, "p99": percentile(ordered, 0.99) / 1e6},
        "latencyUs": [round(v / 1e3, 1) for v in lat],   # every inference, in order
        "startEpochNs": start_epoch_ns, "endEpochNs": end_epoch_ns, "wallMs": wall / 1e6,
        "cpuMsPerInference": (cpu1 - cpu0) / n / 1e6,
        "cpuUserMsPerInference": (ru1.ru_utime - ru0.ru_utime) * 1e3 / n,
        "cpuSysMsPerInference": (ru1.ru_stime - ru0.ru_stime) * 1e3 / n,
        "voluntaryCtxPerInference": (ru1.ru_nvcsw - ru0.ru_nvcsw) / n,
        "involuntaryCtxPerInference": (ru1.ru_nivcsw - ru0.ru_nivcsw) / n,
    })
    if counter:
        by_name = {counter.names.get(c, str(c)): (sc1[c] - sc0[c]) / n for c in range(counter.TOTAL) if sc1[c] != sc0[c]}
        # The counter's snapshot itself makes no syscall; the clock and getrusage reads are outside [sc0, sc1].
        r["syscallsPerInference"] = (sc1[counter.TOTAL] - sc0[counter.TOTAL]) / n
        r["syscallsByName"] = dict(sorted(by_name.items(), key=lambda kv: -kv[1]))
    sc = f"{r['syscallsPerInference']:.2f} syscalls/inf {dict(list(r['syscallsByName'].items())[:5])}" if counter else "syscalls not counted"
    print(f"resnet_infer: {a.label} {mode} bs{a.batch} {a.dtype} wait {a.wait} allocator {a.allocator}: "
          f"{r['latencyMs']['mean']:.3f} ms/inf (p50 {r['latencyMs']['p50']:.3f}, p99 {r['latencyMs']['p99']:.3f}), "
          f"CPU {r['cpuMsPerInference']:.3f} ms/inf, {sc}, vcsw {r['voluntaryCtxPerInference']:.2f}, "
          f"ivcsw {r['involuntaryCtxPerInference']:.2f}", flush=True)
    return r

if __name__ == "__main__":
    main()
