// Busy work of a fixed length: OpenCL C has no clock, so GPU time is `iterations` dependent steps of a volatile
// counter (a private-memory load and store each), whatever that costs on the device; the job's stats (gpu_ns_last,
// from profiling events) say how long it took. Launched as one work-item.
__kernel void spin(ulong iterations) {
    volatile ulong i;
    for (i = 0; i < iterations; i++) {
    }
}
