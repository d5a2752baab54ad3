/* Guest-side vsock client for the end-to-end test: connects to CID:PORT, sends a greeting and
 * then 1 MiB in 4 KiB chunks, checks every byte that comes back, and prints what it saw. */
#include <linux/vm_sockets.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int read_full(int s, unsigned char *buf, size_t n) {
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(s, buf + got, n - got);
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

int main(int argc, char **argv) {
	if (argc != 4) {
		fprintf(stderr, "usage: vsock-echo CID PORT GREETING\n");
		return 2;
	}
	int s = socket(AF_VSOCK, SOCK_STREAM, 0);
	struct sockaddr_vm a;
	memset(&a, 0, sizeof a);
	a.svm_family = AF_VSOCK;
	a.svm_cid = (unsigned)atoi(argv[1]);
	a.svm_port = (unsigned)atoi(argv[2]);
	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof a) < 0) {
		perror("connect");
		return 1;
	}
	size_t n = strlen(argv[3]);
	unsigned char buf[4096];
	if (write(s, argv[3], n) != (ssize_t)n || read_full(s, buf, n) < 0) {
		perror("greeting");
		return 1;
	}
	printf("echo=%.*s\n", (int)n, (char *)buf);
	unsigned long sum = 0;
	for (int chunk = 0; chunk < 256; chunk++) {
		unsigned char out[4096];
		for (int i = 0; i < 4096; i++)
			out[i] = (unsigned char)((chunk * 4096 + i) * 31 % 251);
		if (write(s, out, sizeof out) != (ssize_t)sizeof out || read_full(s, buf, sizeof buf) < 0) {
			perror("stream");
			return 1;
		}
		if (memcmp(out, buf, sizeof buf) != 0) {
			printf("mismatch in chunk %d\n", chunk);
			return 1;
		}
		for (int i = 0; i < 4096; i++)
			sum += buf[i];
	}
	printf("stream=%lu\n", sum);
	close(s);
	return 0;
}
