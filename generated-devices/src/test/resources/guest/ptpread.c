/*
 * Guest tool for RtcGuestTest: reads every PTP clock (/dev/ptp0 .. /dev/ptp15 that exist) ROUNDS
 * times, round-robin, and prints one line per reading as soon as it has it:
 *
 *   ptpN ns=NANOSECONDS name=CLOCK_NAME
 *
 * CLOCK_NAME comes from /sys/class/ptp/ptpN/clock_name (virtio_rtc names its clocks by type).
 * A PTP clock is read through its character device: clock_gettime on the dynamic clock id the
 * open file descriptor stands for. Each line is flushed at once, so the host can stamp its
 * arrival and compare the reading with its own clock.
 *
 * Usage: ptpread [ROUNDS]   (default 3); exits 1 when no clock could be read.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The kernel's encoding of a file descriptor as a clock id (include/linux/posix-timers.h). */
#define FD_TO_CLOCKID(fd) ((~(clockid_t)(fd) << 3) | 3)
#define MAX_CLOCKS 16

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 3;
	int fds[MAX_CLOCKS];
	char names[MAX_CLOCKS][64];
	int n = 0, read_any = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 0; i < MAX_CLOCKS; i++) {
		char path[64];
		fds[i] = -1;
		snprintf(path, sizeof path, "/dev/ptp%d", i);
		int fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		fds[i] = fd;
		snprintf(path, sizeof path, "/sys/class/ptp/ptp%d/clock_name", i);
		strcpy(names[i], "?");
		FILE *f = fopen(path, "r");
		if (f) {
			if (fgets(names[i], sizeof names[i], f))
				names[i][strcspn(names[i], "\n")] = 0;
			fclose(f);
		}
		n++;
	}
	printf("clocks=%d\n", n);
	for (int r = 0; r < rounds; r++) {
		for (int i = 0; i < MAX_CLOCKS; i++) {
			struct timespec ts;
			if (fds[i] < 0)
				continue;
			if (clock_gettime(FD_TO_CLOCKID(fds[i]), &ts) != 0) {
				printf("ptp%d error name=%s\n", i, names[i]);
				continue;
			}
			printf("ptp%d ns=%lld name=%s\n", i, (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec, names[i]);
			read_any = 1;
		}
	}
	return read_any ? 0 : 1;
}
