/* How much a second thread buys on this machine: the same loop on one thread, then on two at once. A shared VM's
   two vCPUs often run two threads at well under twice the speed of one; lint's parallel stages (the YAML pipeline,
   the per-table model, the rules) gain only what this shows. Each thread is placed on a CPU of its own, as lint
   places its threads (left to the scheduler, both can start on one CPU and wait there for the load balancer). */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void *spin(void *unused) {
    (void)unused;
    volatile unsigned long sum = 0;
    for (unsigned long i = 0; i < 50000000UL; i++) sum += i;
    return NULL;
}

/* `attributes` for a thread on the n-th CPU the process may use (any CPU when there is no such one). */
static void place(pthread_attr_t *attributes, int n) {
    pthread_attr_init(attributes);
    cpu_set_t allowed, one;
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return;
    for (int cpu = 0, seen = 0; cpu < CPU_SETSIZE; cpu++) {
        if (!CPU_ISSET(cpu, &allowed) || seen++ != n) continue;
        CPU_ZERO(&one);
        CPU_SET(cpu, &one);
        pthread_attr_setaffinity_np(attributes, sizeof one, &one);
        return;
    }
}

int main(void) {
    double worst = 1e9, best = 0;
    for (int round = 0; round < 5; round++) {
        double start = now();
        spin(NULL);
        double one = now() - start;
        pthread_t a, b;
        pthread_attr_t on_first, on_second;
        place(&on_first, 0);
        place(&on_second, 1);
        start = now();
        pthread_create(&a, &on_first, spin, NULL);
        pthread_create(&b, &on_second, spin, NULL);
        pthread_join(a, NULL);
        pthread_join(b, NULL);
        double two = now() - start;
        double speedup = 2 * one / two;
        if (speedup < worst) worst = speedup;
        if (speedup > best) best = speedup;
    }
    printf("two threads do %.2fx to %.2fx the work of one in the same time (5 rounds; 2.00 is two free cores)\n", worst,
           best);
    return 0;
}
