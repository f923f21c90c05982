/* A tiny test harness for the gpujob C tests: TEST/RUN, CHECK and CHECK_ST (statuses printed by name), and the
 * closing "N passed, N failed" line CI looks for. One test = one RUN; it fails when any of its checks fails. */
#ifndef GPUJOB_TEST_CHECK_H
#define GPUJOB_TEST_CHECK_H
#include "gpujob.h"
#include <stdio.h>

static int tests_passed, tests_failed, checks_failed;

#define CHECK(cond, ...)                                                                                             \
    do {                                                                                                             \
        if (!(cond)) {                                                                                               \
            checks_failed++;                                                                                         \
            fprintf(stderr, "  FAIL %s:%d: %s", __FILE__, __LINE__, #cond);                                          \
            fprintf(stderr, " " __VA_ARGS__);                                                                        \
            fputc('\n', stderr);                                                                                     \
        }                                                                                                            \
    } while (0)

#define CHECK_ST(expected, actual)                                                                                   \
    do {                                                                                                             \
        int e_ = (expected), a_ = (actual);                                                                          \
        CHECK(e_ == a_, "(expected %s, got %s)", gj_strerror(e_), gj_strerror(a_));                                 \
    } while (0)

#define RUN(test)                                                                                                    \
    do {                                                                                                             \
        int before_ = checks_failed;                                                                                 \
        test();                                                                                                      \
        if (checks_failed == before_)                                                                                \
            tests_passed++;                                                                                          \
        else                                                                                                         \
            tests_failed++;                                                                                          \
        printf("%s %s\n", checks_failed == before_ ? "ok  " : "FAIL", #test);                                        \
        fflush(stdout);                                                                                              \
    } while (0)

static int summary(void)
{
    printf("%d passed, %d failed\n", tests_passed, tests_failed);
    return tests_failed ? 1 : 0;
}
#endif
