// c += a + b over n floats: one work item of the interventions (natives/src/main/cuda/accumulate.cu in OpenCL).
__kernel void accumulate(__global const float *a, __global const float *b, __global float *c) {
    size_t i = get_global_id(0);
    c[i] += a[i] + b[i];
}

// `items` work items in one launch, adds in the same order: the fused kernel of the batching interventions.
__kernel void accumulate_fused(__global const float *a, __global const float *b, __global float *c, int items) {
    size_t i = get_global_id(0);
    float acc = c[i];
    float sum = a[i] + b[i];
    for (int k = 0; k < items; k++) acc += sum;
    c[i] = acc;
}
