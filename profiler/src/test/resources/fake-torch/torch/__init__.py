"""A stand-in for PyTorch with only what benchmarks/python/resnet_infer.py calls, so the script's control flow
(arguments, skips, re-exec, markers, JSON) is tested where there is no GPU (ResnetScriptTest). Each inference makes
exactly one getppid(2), so tests can count inferences in syscalls. FAKE_TORCH_CUDA=0: no GPU."""
import contextlib
import os
import time

__version__ = "fake"
float16, float32 = "float16", "float32"


def randn(*shape, device=None, dtype=None):
    return None


def inference_mode():
    return contextlib.nullcontext()


class cuda:  # noqa: N801 - the module's name in PyTorch
    @staticmethod
    def is_available():
        return os.environ.get("FAKE_TORCH_CUDA", "1") == "1"

    @staticmethod
    def get_device_name(i):
        return "fake"

    @staticmethod
    def synchronize():
        pass

    class Stream:
        def wait_stream(self, other):
            pass

    @staticmethod
    def current_stream():
        return cuda.Stream()

    @staticmethod
    def stream(s):
        return contextlib.nullcontext()

    class CUDAGraph:
        def replay(self):
            os.getppid()
            time.sleep(0.0002)

    @staticmethod
    def graph(g):
        # As PyTorch: capture cannot record cudaMalloc, which every allocation is without the caching allocator.
        if os.environ.get("PYTORCH_NO_CUDA_MEMORY_CACHING") == "1":
            raise RuntimeError("operation not permitted when stream is capturing")
        return contextlib.nullcontext()
