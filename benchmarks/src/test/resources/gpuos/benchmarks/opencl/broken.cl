// Does not compile, on purpose: OpenClSessionTest checks that the build log reaches the exception.
__kernel void broken(__global float *x) { x[0] = undeclared_thing; }
