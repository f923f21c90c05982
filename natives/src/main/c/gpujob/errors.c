/* The one place where driver codes become gj_status (docs/gpu-job.md, "Errors"). Codes from cuda.h (CUresult)
 * and CL/cl.h (cl_int); the driver's own code is kept in the job's accounting for gj_backend_error(). */
#include "gj_internal.h"

static int keep(gj_job *job, int code, int status)
{
    if (job && code != 0)
        __atomic_store_n(&job->stats.last_backend_error, code, __ATOMIC_RELAXED);
    return status;
}

int gj__from_cuda(gj_job *job, int r)
{
    switch (r) {
    case 0: return GJ_OK;
    case 600: return GJ_EAGAIN; /* CUDA_ERROR_NOT_READY: cuEventQuery/cuStreamQuery, work still running */
    case 2: return keep(job, r, GJ_ENOMEM); /* CUDA_ERROR_OUT_OF_MEMORY */
    case 3: case 35: case 100: case 101: case 999: /* NOT_INITIALIZED, INSUFFICIENT_DRIVER, NO_DEVICE, INVALID_DEVICE, UNKNOWN (no driver in a container) */
        return keep(job, r, GJ_ENODEVICE);
    case 801: return keep(job, r, GJ_EUNSUPPORTED); /* CUDA_ERROR_NOT_SUPPORTED */
    /* A kernel fault: ILLEGAL_ADDRESS, HARDWARE_STACK_ERROR, ILLEGAL_INSTRUCTION, MISALIGNED_ADDRESS,
     * INVALID_ADDRESS_SPACE, INVALID_PC, LAUNCH_FAILED (trap), ASSERT, LAUNCH_TIMEOUT. The context is unusable after. */
    case 700: case 714: case 715: case 716: case 717: case 718: case 719: case 710: case 702:
        return keep(job, r, GJ_EJOBFAULT);
    default: return keep(job, r, GJ_EBACKEND);
    }
}

int gj__from_opencl(gj_job *job, int r)
{
    switch (r) {
    case 0: return GJ_OK;
    case -4: case -5: case -6: /* MEM_OBJECT_ALLOCATION_FAILURE, OUT_OF_RESOURCES, OUT_OF_HOST_MEMORY */
        return keep(job, r, GJ_ENOMEM);
    case -1: case -33: case -1001: /* DEVICE_NOT_FOUND, INVALID_DEVICE, PLATFORM_NOT_FOUND_KHR (ICD loader) */
        return keep(job, r, GJ_ENODEVICE);
    case -14: /* EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST: a command of the job ended abnormally */
        return keep(job, r, GJ_EJOBFAULT);
    default: return keep(job, r, GJ_EBACKEND);
    }
}

/* A negative CL_EVENT_COMMAND_EXECUTION_STATUS: the command ended abnormally (OpenCL 1.2, 5.10). */
int gj__opencl_event_failed(gj_job *job, int event_status) { return keep(job, event_status, GJ_EJOBFAULT); }
