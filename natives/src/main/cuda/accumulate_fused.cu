// `items` work items of accumulate in one launch: the fused kernel of the batching interventions. The adds happen
// in the same order as `items` separate launches (c + (a + b), items times), so the result is bit-identical.
extern "C" __global__ void accumulate_fused(const float *a, const float *b, float *c, int n, int items)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float acc = c[i];
        float sum = a[i] + b[i];
        for (int k = 0; k < items; k++) acc += sum;
        c[i] = acc;
    }
}
