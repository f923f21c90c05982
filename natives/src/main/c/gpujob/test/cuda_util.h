/* Driver calls the GPU-side programs (gpujob-test-cuda, gpujob-bench) make themselves: module loading and kernel
 * launches inside record callbacks, plus the driver-only baselines. libcuda.so.1 dlopen'ed, types declared here
 * (values from cuda.h), as tools/cuda_roundtrip.c does. */
#ifndef GPUJOB_CUDA_UTIL_H
#define GPUJOB_CUDA_UTIL_H
#define _GNU_SOURCE
#include "gpujob.h"
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

typedef int CUresult;
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;
typedef struct CUctx_st *CUcontext;
typedef struct CUmod_st *CUmodule;
typedef struct CUfunc_st *CUfunction;
typedef struct CUstream_st *CUstream;
typedef struct CUgraph_st *CUgraph;
typedef struct CUgraphExec_st *CUgraphExec;

#define CU_CTX_SCHED_SPIN 0x01
#define CU_CTX_SCHED_BLOCKING_SYNC 0x04

static struct {
    CUresult (*Init)(unsigned);
    CUresult (*DeviceGet)(CUdevice *, int);
    CUresult (*CtxCreate)(CUcontext *, unsigned, CUdevice);
    CUresult (*CtxDestroy)(CUcontext);
    CUresult (*CtxPushCurrent)(CUcontext);
    CUresult (*CtxPopCurrent)(CUcontext *);
    CUresult (*CtxSynchronize)(void);
    CUresult (*ModuleLoadData)(CUmodule *, const void *);
    CUresult (*ModuleUnload)(CUmodule);
    CUresult (*ModuleGetFunction)(CUfunction *, CUmodule, const char *);
    CUresult (*LaunchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, CUstream,
                             void **, void **);
    CUresult (*MemsetD32Async)(CUdeviceptr, unsigned, size_t, CUstream);
    CUresult (*MemcpyDtoH)(void *, CUdeviceptr, size_t);
    CUresult (*GetErrorName)(CUresult, const char **);
    CUresult (*StreamCreate)(CUstream *, unsigned);
    CUresult (*StreamDestroy)(CUstream);
    CUresult (*StreamBeginCapture)(CUstream, int);
    CUresult (*StreamEndCapture)(CUstream, CUgraph *);
    CUresult (*GraphInstantiate)(CUgraphExec *, CUgraph, unsigned long long);
    CUresult (*GraphLaunch)(CUgraphExec, CUstream);
    CUresult (*GraphDestroy)(CUgraph);
    CUresult (*GraphExecDestroy)(CUgraphExec);
    CUresult (*StreamSynchronize)(CUstream);
} cud;

static void cuda_util_load(const char *program)
{
    void *lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        fprintf(stderr, "%s: no CUDA driver (libcuda.so.1): %s\n", program, dlerror());
        exit(1);
    }
    struct { void **slot; const char *name; } syms[] = {
        {(void **)&cud.Init, "cuInit"}, {(void **)&cud.DeviceGet, "cuDeviceGet"},
        {(void **)&cud.CtxCreate, "cuCtxCreate_v2"}, {(void **)&cud.CtxDestroy, "cuCtxDestroy_v2"},
        {(void **)&cud.CtxPushCurrent, "cuCtxPushCurrent_v2"}, {(void **)&cud.CtxPopCurrent, "cuCtxPopCurrent_v2"},
        {(void **)&cud.CtxSynchronize, "cuCtxSynchronize"}, {(void **)&cud.ModuleLoadData, "cuModuleLoadData"},
        {(void **)&cud.ModuleUnload, "cuModuleUnload"}, {(void **)&cud.ModuleGetFunction, "cuModuleGetFunction"},
        {(void **)&cud.LaunchKernel, "cuLaunchKernel"}, {(void **)&cud.MemsetD32Async, "cuMemsetD32Async"},
        {(void **)&cud.MemcpyDtoH, "cuMemcpyDtoH_v2"}, {(void **)&cud.GetErrorName, "cuGetErrorName"},
        {(void **)&cud.StreamCreate, "cuStreamCreate"}, {(void **)&cud.StreamDestroy, "cuStreamDestroy_v2"},
        {(void **)&cud.StreamBeginCapture, "cuStreamBeginCapture_v2"}, {(void **)&cud.StreamEndCapture, "cuStreamEndCapture"},
        {(void **)&cud.GraphInstantiate, "cuGraphInstantiateWithFlags"}, {(void **)&cud.GraphLaunch, "cuGraphLaunch"},
        {(void **)&cud.GraphDestroy, "cuGraphDestroy"}, {(void **)&cud.GraphExecDestroy, "cuGraphExecDestroy"},
        {(void **)&cud.StreamSynchronize, "cuStreamSynchronize"},
    };
    for (size_t i = 0; i < sizeof syms / sizeof *syms; i++)
        if (!(*syms[i].slot = dlsym(lib, syms[i].name))) {
            fprintf(stderr, "%s: libcuda.so.1 has no %s\n", program, syms[i].name);
            exit(1);
        }
    cud.Init(0);
}

static const char *cuda_error_name(CUresult r)
{
    const char *name = "?";
    cud.GetErrorName(r, &name);
    return name;
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(1);
    }
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)len + 1);
    if (!text || fread(text, 1, (size_t)len, f) != (size_t)len) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(1);
    }
    text[len] = '\0'; /* cuModuleLoadData takes PTX as a NUL-terminated string */
    fclose(f);
    return text;
}

/* Loads `ptx` in `ctx` and returns kernel `name` (exits on failure: these programs cannot go on without it). */
static CUfunction load_kernel(CUcontext ctx, const char *ptx, const char *name, CUmodule *module)
{
    CUcontext popped;
    CUfunction fn = NULL;
    CUresult r = cud.CtxPushCurrent(ctx);
    if (!r)
        r = cud.ModuleLoadData(module, ptx);
    if (!r)
        r = cud.ModuleGetFunction(&fn, *module, name);
    cud.CtxPopCurrent(&popped);
    if (r) {
        fprintf(stderr, "loading kernel %s: %s (%d)\n", name, cuda_error_name(r), r);
        exit(1);
    }
    return fn;
}
/* One thread of spin_kernel (natives/src/main/cuda/spin_kernel.cu) for `nanos` of %globaltimer: a job's recorded work. */
typedef struct spin_work { CUfunction fn; unsigned long long nanos; } spin_work;

static int launch_spin(gj_job *job, void *stream, void *user)
{
    (void)job;
    spin_work *w = user;
    void *params[] = {&w->nanos};
    return cud.LaunchKernel(w->fn, 1, 1, 1, 1, 1, 1, 0, stream, params, NULL);
}

#endif
