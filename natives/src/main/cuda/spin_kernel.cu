// Busy-waits about `nanos` nanoseconds of GPU time, touching no memory: GPU busy time as an axis of its own,
// independent of bytes. %globaltimer counts nanoseconds (PTX ISA: "a 64-bit global nanosecond timer"), so the
// duration does not depend on the SM clock the way clock64() cycles would. Launch it with one thread.
static __device__ __forceinline__ unsigned long long globaltimer()
{
    unsigned long long t;
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t));
    return t;
}

extern "C" __global__ void spin_kernel(unsigned long long nanos)
{
    unsigned long long start = globaltimer();
    while (globaltimer() - start < nanos) {
    }
}
