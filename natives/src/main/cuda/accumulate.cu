// c[i] += a[i] + b[i] for i < n: one work item of the interventions. Not idempotent, so k launches of it and one
// launch of accumulate_fused with items = k leave the same c (the GPU tests check that).
extern "C" __global__ void accumulate(const float *a, const float *b, float *c, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) c[i] += a[i] + b[i];
}
