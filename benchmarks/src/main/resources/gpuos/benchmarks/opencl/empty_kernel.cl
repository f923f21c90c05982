// Does nothing: what remains of a launch is the runtime's cost of scheduling its work-items.
__kernel void empty_kernel(void) {
}
