/* A program without CUDA that calls the synchronizations the interposer serves, as an unmodified program would
 * (symbols looked up at run time: nothing here links CUDA). Run by gpujob-test under LD_PRELOAD. */
#include <dlfcn.h>
#include <stdio.h>

int main(void)
{
    static const char *names[] = {"cuCtxSynchronize", "cudaDeviceSynchronize"};
    static const char *stream_names[] = {"cuStreamSynchronize", "cudaStreamSynchronize", "cuEventSynchronize",
                                         "cudaEventSynchronize"};
    for (int i = 0; i < 2; i++) {
        int (*sync)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, names[i]);
        printf("%s: %s %d\n", names[i], sync ? "found" : "absent", sync ? sync() : -1);
    }
    for (int i = 0; i < 4; i++) {
        int (*sync)(void *) = (int (*)(void *))dlsym(RTLD_DEFAULT, stream_names[i]);
        printf("%s: %s %d\n", stream_names[i], sync ? "found" : "absent", sync ? sync(NULL) : -1);
    }
    /* RTLD_NEXT from here must start after this program: it finds the interposer's definition first, as
     * RTLD_DEFAULT does (a dlsym wrapper that forgot its caller would answer from after the interposer). */
    void *next = dlsym(RTLD_NEXT, "cuCtxSynchronize"), *first = dlsym(RTLD_DEFAULT, "cuCtxSynchronize");
    printf("rtld_next: %s\n", next && next == first ? "relative to the caller" : "wrong");
    return 0;
}
