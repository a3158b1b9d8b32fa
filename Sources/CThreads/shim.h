#include <pthread.h>
#include <sched.h>
#include <sys/types.h>

/* Thread placement: GNU extensions that glibc exports but declares only under _GNU_SOURCE, which Swift's Glibc
   module is built without. The prototypes are glibc's (sched_getcpu(3), sched_setaffinity(2),
   pthread_attr_setaffinity_np(3)). */
extern int sched_getcpu(void);
extern int sched_getaffinity(pid_t pid, size_t cpusetsize, cpu_set_t *mask);
extern int sched_setaffinity(pid_t pid, size_t cpusetsize, const cpu_set_t *mask);
extern int pthread_attr_setaffinity_np(pthread_attr_t *attr, size_t cpusetsize, const cpu_set_t *cpuset);
