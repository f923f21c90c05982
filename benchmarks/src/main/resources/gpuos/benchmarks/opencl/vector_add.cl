// c = a + b over n floats, one work-item per element (n = bytes / 4, the NDRange size).
__kernel void vector_add(__global const float *a, __global const float *b, __global float *c) {
    size_t i = get_global_id(0);
    c[i] = a[i] + b[i];
}
