/* A native kernel for tests/native_test.cpp, built three ways: as it should be
 * (libtestkernel.so), claiming another ABI version (-DTEST_KERNEL_ABI=99) and without its
 * compute function (-DTEST_KERNEL_NO_COMPUTE).
 *
 * Parameters: tasks (default 6); size: result bytes per task (default 8; more than 64 makes
 * CoreDuel grow its buffer); fail_task and fail_mode (error or segv): task fail_task fails;
 * safe_pid: a segv is not raised in that process (the test's own, which runs the sequential
 * baseline), only in worker processes and ranks. init keeps the parsed values in a context
 * that fini frees.
 */
#include <coreduel/kernel.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#ifndef TEST_KERNEL_ABI
#define TEST_KERNEL_ABI COREDUEL_KERNEL_ABI_VERSION
#endif

int coreduel_kernel_abi_version(void) {
    return TEST_KERNEL_ABI;
}

typedef struct {
    uint64_t tasks, size;
    long long failTask;
    int segv;
    long long safePid;
} Ctx;

int coreduel_kernel_init(const coreduel_kernel_params* p, void** context, char* error,
                         size_t error_size) {
    Ctx* c = (Ctx*)calloc(1, sizeof *c);
    const char* mode = coreduel_kernel_param_get(p, "fail_mode", "error");
    if (c == NULL) return 1;
    if (coreduel_kernel_param_get(p, "bogus", NULL) != NULL) {
        snprintf(error, error_size, "testkernel: unknown parameter 'bogus'");
        free(c);
        return 1;
    }
    c->tasks = strtoull(coreduel_kernel_param_get(p, "tasks", "6"), NULL, 10);
    c->size = strtoull(coreduel_kernel_param_get(p, "size", "8"), NULL, 10);
    c->failTask = atoll(coreduel_kernel_param_get(p, "fail_task", "-1"));
    c->segv = strcmp(mode, "segv") == 0;
    c->safePid = atoll(coreduel_kernel_param_get(p, "safe_pid", "0"));
    *context = c;
    return 0;
}

void coreduel_kernel_fini(void* context) {
    free(context);
}

int coreduel_kernel_task_count(void* context, const coreduel_kernel_params* p, uint64_t* count,
                               char* error, size_t error_size) {
    const Ctx* c = (const Ctx*)context;
    (void)p;
    if (c->tasks == 0) {
        snprintf(error, error_size, "testkernel: 'tasks' must be at least 1");
        return 1;
    }
    *count = c->tasks;
    return 0;
}

#ifndef TEST_KERNEL_NO_COMPUTE
int coreduel_kernel_compute(void* context, const coreduel_kernel_params* p, uint64_t index,
                            unsigned char* result, size_t capacity, size_t* size, char* error,
                            size_t error_size) {
    const Ctx* c = (const Ctx*)context;
    size_t i;
    (void)p;
    if ((long long)index == c->failTask) {
        if (c->segv && (long long)getpid() != c->safePid) raise(SIGSEGV);
        if (!c->segv) {
            snprintf(error, error_size, "testkernel: task %llu failed on purpose",
                     (unsigned long long)index);
            return 7;
        }
    }
    *size = c->size;
    if (capacity < c->size) return 0;
    for (i = 0; i < c->size; ++i) result[i] = (unsigned char)(index * 31 + i);
    return 0;
}
#endif
