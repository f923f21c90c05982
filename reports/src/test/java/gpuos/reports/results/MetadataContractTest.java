package gpuos.reports.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The reports' side of metadata.json's contract: the golden docs/contract/metadata.json (whose fields the suite's
 * MetadataContractTest holds the sweep to) is read into the record, every field of it.
 */
class MetadataContractTest {
    @Test
    void theGoldenFileReadsIntoTheRecord() throws Exception {
        Metadata m = Metadata.from(JsonParser.parseString(Files.readString(Path.of("..", "docs", "contract", "metadata.json"))).getAsJsonObject());
        assertTrue(m.present());
        assertEquals(Optional.of("20261122-015615-full"), m.runId());
        assertEquals(Optional.of("full"), m.preset());
        assertEquals(Optional.of("gpuos-bundle/run full"), m.command());
        assertEquals(Optional.of("2026-11-22T01:56:15Z"), m.started());
        assertEquals(Optional.of("39506cf192d6f8abf980ef564034cff3e3e81ce5"), m.gitCommit());
        assertTrue(m.gitDirty());
        assertEquals(new Metadata.Host(Optional.of("6.18.44-fc-v657-gpu"), Optional.of("Ubuntu 24.04.3 LTS"), Optional.of("Intel(R) Xeon(R) Processor"),
                Optional.of(16L), Optional.of("tsc"), Optional.of(135148564480L)), m.host());
        assertEquals(new Metadata.Jvm(Optional.of("25.0.3"), Optional.of("Eclipse Adoptium"), Optional.of("/tmp/gpuos-bundle/jdk")), m.jvm());
        assertEquals(Optional.of("1.37"), m.jmhVersion());
        assertEquals(new Metadata.Counting(Optional.of("bpf"), List.of("eBPF counter unavailable (example): counted with perf instead")), m.counting());
        assertEquals(List.of("pocl", "nvidia"), m.opencl().stream().map(p -> p.key().orElseThrow()).toList());
        assertEquals(new Metadata.OpenClPlatform(Optional.of("nvidia"), Optional.of("NVIDIA CUDA"), Optional.of("NVIDIA Corporation"),
                Optional.of("OpenCL 3.0 CUDA 13.0.98"), List.of("NVIDIA H200")), m.opencl().get(1));
        assertEquals(List.of(new Metadata.Gpu(Optional.of("NVIDIA H200"), Optional.of("580.159.04"))), m.gpus());
        assertEquals(List.of(new Metadata.Part(Optional.of("cuda-wait"), Optional.of("ok"), Optional.of(437.384)),
                new Metadata.Part(Optional.of("cuda-spin"), Optional.of("planned"), Optional.empty())), m.parts());
        assertEquals(1, m.resumed().size());
        assertEquals(Optional.of("2026-11-22T02:10:02Z"), m.resumed().getFirst().started());
    }
}
