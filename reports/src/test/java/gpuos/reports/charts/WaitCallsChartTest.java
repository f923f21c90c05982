package gpuos.reports.charts;

import gpuos.reports.Fixtures;
import gpuos.reports.analysis.WaitCalls;
import gpuos.reports.results.Labels;
import gpuos.reports.results.Series;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bars of the wait-call chart are named by what tells them apart; what all share goes to the title. */
class WaitCallsChartTest {
    static WaitCalls row(String family, String variant, Map<String, String> params, long reps) {
        Series series = Fixtures.series("cuda", family, variant, params);
        return WaitCalls.of(Fixtures.point(series, 4096, reps, Map.of(Labels.SYSCALLS_TOTAL, new double[] {1, 1},
                Labels.SYNC_INVOCATIONS, new double[] {10, 10}, Labels.SYNC_BLOCKED, new double[] {1, 1}))).orElseThrow();
    }

    @Test
    void barsOfOneBenchmarkAreNamedByTheParamsInWhichTheyDiffer() {
        List<WaitCalls> rows = List.of(
                row("CudaExecution", "launchSync", Map.of("gpuNanos", "10000", "waitPolicy", "auto"), 100),
                row("CudaExecution", "launchSync", Map.of("gpuNanos", "10000", "waitPolicy", "yield"), 100),
                row("CudaExecution", "launchSync", Map.of("gpuNanos", "10000", "waitPolicy", "yield"), 1));
        WaitCallsChart.Names names = WaitCallsChart.names(rows);
        assertEquals(List.of("reps=100, waitPolicy=auto", "reps=100, waitPolicy=yield", "reps=1, waitPolicy=yield"), names.bars());
        assertEquals("CudaExecution.launchSync", names.shared());
    }

    @Test
    void barsOfSeveralBenchmarksKeepTheirNames() {
        List<WaitCalls> rows = List.of(
                row("CudaExecution", "launchSync", Map.of("waitPolicy", "auto"), 1),
                row("OpenClExecution", "emptyKernel", Map.of("platform", "pocl"), 1));
        WaitCallsChart.Names names = WaitCallsChart.names(rows);
        assertEquals(List.of("CudaExecution.launchSync waitPolicy=auto", "OpenClExecution.emptyKernel platform=pocl"), names.bars());
        assertEquals("", names.shared());
        assertTrue(WaitCallsChart.render(rows).isPresent());
    }
}
