/*
 * cuda-roundtrip: the launch + synchronize loop of CudaExecution.launchSync, in C, with no JVM in between.
 * Per context wait policy (CU_CTX_SCHED_*): a fresh context, WARMUP round trips, then N timed round trips of
 * cuLaunchKernel(empty_kernel) + cuCtxSynchronize on the NULL stream; prints one line per policy with the mean.
 *
 *   cuda-roundtrip EMPTY_KERNEL_PTX [N [WARMUP [BYTES [POLICY...]]]]
 *   defaults: N 10000, WARMUP 1000, BYTES 4096 (grid = BYTES/4 threads in blocks of 256, as the Java benchmark),
 *             policies auto spin yield blocking
 *
 * libcuda.so.1 is dlopen'ed and the few driver API types are declared here, so this builds with gcc alone
 * (no CUDA headers or libraries); it is not in the default make target because CI has no libcuda to run it.
 * Clock: CLOCK_MONOTONIC through the vDSO (no syscall with the tsc clocksource). The voluntary context switches
 * of this thread (getrusage RUSAGE_THREAD) show whether the wait slept (blocking) or spun (spin/auto).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

typedef int CUresult; /* 0 = CUDA_SUCCESS */
typedef int CUdevice;
typedef struct CUctx_st *CUcontext;
typedef struct CUmod_st *CUmodule;
typedef struct CUfunc_st *CUfunction;
typedef struct CUstream_st *CUstream;

/* cuda.h: CUctx_flags */
#define CU_CTX_SCHED_AUTO 0x00
#define CU_CTX_SCHED_SPIN 0x01
#define CU_CTX_SCHED_YIELD 0x02
#define CU_CTX_SCHED_BLOCKING_SYNC 0x04

static CUresult (*cuInit)(unsigned int);
static CUresult (*cuDriverGetVersion)(int *);
static CUresult (*cuDeviceGet)(CUdevice *, int);
static CUresult (*cuDeviceGetName)(char *, int, CUdevice);
/* cuCtxCreate is a macro for cuCtxCreate_v2 in CUDA 11/12 headers; drivers keep exporting _v2 for old binaries. */
static CUresult (*cuCtxCreate)(CUcontext *, unsigned int, CUdevice);
static CUresult (*cuCtxDestroy)(CUcontext);
static CUresult (*cuCtxSynchronize)(void);
static CUresult (*cuModuleLoadData)(CUmodule *, const void *);
static CUresult (*cuModuleUnload)(CUmodule);
static CUresult (*cuModuleGetFunction)(CUfunction *, CUmodule, const char *);
static CUresult (*cuLaunchKernel)(CUfunction, unsigned int, unsigned int, unsigned int, unsigned int, unsigned int,
                                  unsigned int, unsigned int, CUstream, void **, void **);
static CUresult (*cuGetErrorName)(CUresult, const char **);

static void *driver;

static void *sym(const char *name)
{
    void *p = dlsym(driver, name);
    if (!p) {
        fprintf(stderr, "cuda-roundtrip: libcuda.so.1 has no %s\n", name);
        exit(1);
    }
    return p;
}

/* The one place a CUresult becomes an exit: the driver's error name and the call that failed. */
static void check(CUresult r, const char *what)
{
    if (r == 0)
        return;
    const char *name = "?";
    if (cuGetErrorName)
        cuGetErrorName(r, &name);
    fprintf(stderr, "cuda-roundtrip: %s failed: %s (%d)\n", what, name, r);
    exit(1);
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(1);
    }
    size_t cap = 1 << 16, len = 0, n;
    char *buf = malloc(cap + 1);
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap)
            buf = realloc(buf, (cap *= 2) + 1);
    }
    fclose(f);
    if (!buf) {
        fprintf(stderr, "cuda-roundtrip: out of memory reading %s\n", path);
        exit(1);
    }
    buf[len] = '\0'; /* cuModuleLoadData takes PTX as a NUL-terminated string */
    return buf;
}

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static long voluntary_switches(void)
{
    struct rusage u;
    getrusage(RUSAGE_THREAD, &u);
    return u.ru_nvcsw;
}

static int policy_flags(const char *name)
{
    if (!strcmp(name, "auto"))
        return CU_CTX_SCHED_AUTO;
    if (!strcmp(name, "spin"))
        return CU_CTX_SCHED_SPIN;
    if (!strcmp(name, "yield"))
        return CU_CTX_SCHED_YIELD;
    if (!strcmp(name, "blocking"))
        return CU_CTX_SCHED_BLOCKING_SYNC;
    fprintf(stderr, "cuda-roundtrip: unknown wait policy '%s' (use auto, spin, yield or blocking)\n", name);
    exit(2);
}

static void roundtrips(CUdevice dev, const char *ptx, const char *policy, long n, long warmup, long bytes)
{
    CUcontext ctx;
    CUmodule mod;
    CUfunction fn;
    check(cuCtxCreate(&ctx, (unsigned int)policy_flags(policy), dev), "cuCtxCreate");
    check(cuModuleLoadData(&mod, ptx), "cuModuleLoadData");
    check(cuModuleGetFunction(&fn, mod, "empty_kernel"), "cuModuleGetFunction(empty_kernel)");
    long threads = bytes / 4 > 0 ? bytes / 4 : 1;
    unsigned int block = 256, grid = (unsigned int)((threads + block - 1) / block);

    for (long i = 0; i < warmup; i++) {
        check(cuLaunchKernel(fn, grid, 1, 1, block, 1, 1, 0, NULL, NULL, NULL), "cuLaunchKernel");
        check(cuCtxSynchronize(), "cuCtxSynchronize");
    }
    long switches = voluntary_switches();
    double start = now_us();
    for (long i = 0; i < n; i++) {
        check(cuLaunchKernel(fn, grid, 1, 1, block, 1, 1, 0, NULL, NULL, NULL), "cuLaunchKernel");
        check(cuCtxSynchronize(), "cuCtxSynchronize");
    }
    double took = now_us() - start;
    switches = voluntary_switches() - switches;
    printf("cuda-roundtrip: policy=%-8s us_per_roundtrip=%.3f roundtrips=%ld warmup=%ld bytes=%ld voluntary_ctxsw_per_roundtrip=%.3f\n",
           policy, took / n, n, warmup, bytes, (double)switches / n);
    fflush(stdout);
    check(cuModuleUnload(mod), "cuModuleUnload");
    check(cuCtxDestroy(ctx), "cuCtxDestroy");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: cuda-roundtrip EMPTY_KERNEL_PTX [N [WARMUP [BYTES [POLICY...]]]]\n");
        return 2;
    }
    long n = argc > 2 ? atol(argv[2]) : 10000;
    long warmup = argc > 3 ? atol(argv[3]) : 1000;
    long bytes = argc > 4 ? atol(argv[4]) : 4096;
    if (n <= 0 || warmup < 0 || bytes <= 0) {
        fprintf(stderr, "cuda-roundtrip: N > 0, WARMUP >= 0 and BYTES > 0 please\n");
        return 2;
    }
    static const char *all[] = {"auto", "spin", "yield", "blocking"};
    const char **policies = argc > 5 ? (const char **)argv + 5 : all;
    int npolicies = argc > 5 ? argc - 5 : 4;
    for (int i = 0; i < npolicies; i++)
        policy_flags(policies[i]); /* reject a bad name before touching the GPU */
    char *ptx = read_file(argv[1]);

    driver = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!driver) {
        fprintf(stderr, "cuda-roundtrip: no CUDA driver (libcuda.so.1): %s\n", dlerror());
        return 1;
    }
    *(void **)&cuGetErrorName = sym("cuGetErrorName");
    *(void **)&cuInit = sym("cuInit");
    *(void **)&cuDriverGetVersion = sym("cuDriverGetVersion");
    *(void **)&cuDeviceGet = sym("cuDeviceGet");
    *(void **)&cuDeviceGetName = sym("cuDeviceGetName");
    *(void **)&cuCtxCreate = sym("cuCtxCreate_v2");
    *(void **)&cuCtxDestroy = sym("cuCtxDestroy_v2");
    *(void **)&cuCtxSynchronize = sym("cuCtxSynchronize");
    *(void **)&cuModuleLoadData = sym("cuModuleLoadData");
    *(void **)&cuModuleUnload = sym("cuModuleUnload");
    *(void **)&cuModuleGetFunction = sym("cuModuleGetFunction");
    *(void **)&cuLaunchKernel = sym("cuLaunchKernel");

    check(cuInit(0), "cuInit");
    int version = 0;
    check(cuDriverGetVersion(&version), "cuDriverGetVersion");
    CUdevice dev;
    check(cuDeviceGet(&dev, 0), "cuDeviceGet(0)");
    char name[256] = "";
    check(cuDeviceGetName(name, sizeof name, dev), "cuDeviceGetName");
    printf("cuda-roundtrip: device 0 %s, driver API %d.%d, %s\n", name, version / 1000, version % 1000 / 10, argv[1]);
    for (int i = 0; i < npolicies; i++)
        roundtrips(dev, ptx, policies[i], n, warmup, bytes);
    free(ptx);
    return 0;
}
