package gpuos.profiler.external;

import gpuos.profiler.Tally;

/** One execution of a marked phase: its name, wall time and syscalls (all threads and processes). */
record PhaseOccurrence(String name, long nanos, Tally tally) {}
