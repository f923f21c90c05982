package gpuos.profiler.external;

import gpuos.profiler.Tally;

/**
 * One execution of a marked phase: its name, the operations its marker announced (1 if none), wall time,
 * CPU time of the program's process (all its threads; -1 when it could not be read) and syscalls (all threads
 * and processes).
 */
record PhaseOccurrence(String name, long ops, long nanos, long cpuNanos, Tally tally) {}
