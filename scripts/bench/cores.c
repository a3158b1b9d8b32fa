/* How much a second thread buys on this machine: the same loop on one thread, then on two at once. A shared VM's
   two vCPUs often run two threads at well under twice the speed of one; lint's parallel stages (the YAML pipeline,
   the per-table model, the rules) gain only what this shows. */
#include <pthread.h>
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

int main(void) {
    double worst = 1e9, best = 0;
    for (int round = 0; round < 5; round++) {
        double start = now();
        spin(NULL);
        double one = now() - start;
        pthread_t a, b;
        start = now();
        pthread_create(&a, NULL, spin, NULL);
        pthread_create(&b, NULL, spin, NULL);
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
