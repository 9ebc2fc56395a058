/*
 * A preloaded shim for the storage fault tests: fsync and fdatasync fail with EIO while the file named
 * by HALLQ_FSYNC_FAULT exists, as a dying disk makes them fail. Built by the test with the system's cc.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
static int failing(void) {
  const char *trigger = getenv("HALLQ_FSYNC_FAULT");
  return trigger != NULL && access(trigger, F_OK) == 0;
}
int fsync(int fd) {
  static int (*real)(int);
  if (failing()) { errno = EIO; return -1; }
  if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
  return real(fd);
}
int fdatasync(int fd) {
  static int (*real)(int);
  if (failing()) { errno = EIO; return -1; }
  if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
  return real(fd);
}
