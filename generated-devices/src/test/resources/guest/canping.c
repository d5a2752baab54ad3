/*
 * Guest side of CanGuestTest: sends four frames on IFACE through a raw CAN socket (classic with
 * a standard identifier, classic extended, CAN FD with 12 bytes, RTR asking for 2 bytes), then
 * prints every frame it receives as rx=ID#FLAGS#HEX until WANT frames came or 30 s passed.
 * The interface is brought up first (ifup=0; the tier-4 kernel has no IPv4, and busybox ip needs
 * an AF_INET socket for the same ioctl) and down again at the end (ifdown=0), which makes Linux's
 * driver START and STOP the controller; each send prints sent=ID or send_errno=N.
 */
#include <errno.h>
#include <linux/can.h>
#include <linux/can/raw.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static void send_frame(int s, struct canfd_frame *f, int fd)
{
	ssize_t n = write(s, f, fd ? CANFD_MTU : CAN_MTU);
	if (n < 0)
		printf("send_errno=%d\n", errno);
	else
		printf("sent=%x\n", f->can_id);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s IFACE WANT\n", argv[0]);
		return 2;
	}
	int want = atoi(argv[2]);
	int s = socket(PF_CAN, SOCK_RAW, CAN_RAW);
	if (s < 0) {
		printf("socket_errno=%d\n", errno);
		return 1;
	}
	struct ifreq r;
	memset(&r, 0, sizeof r);
	snprintf(r.ifr_name, sizeof r.ifr_name, "%s", argv[1]);
	if (ioctl(s, SIOCGIFFLAGS, &r) < 0) {
		printf("ifflags_errno=%d\n", errno);
		return 1;
	}
	r.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &r) < 0) {
		printf("ifup_errno=%d\n", errno);
		return 1;
	}
	printf("ifup=0\n");
	short flags = r.ifr_flags;
	if (ioctl(s, SIOCGIFINDEX, &r) < 0) {
		printf("ifindex_errno=%d\n", errno);
		return 1;
	}
	int on = 1;
	setsockopt(s, SOL_CAN_RAW, CAN_RAW_FD_FRAMES, &on, sizeof on);
	struct sockaddr_can a;
	memset(&a, 0, sizeof a);
	a.can_family = AF_CAN;
	a.can_ifindex = r.ifr_ifindex;
	if (bind(s, (struct sockaddr *)&a, sizeof a) < 0) {
		printf("bind_errno=%d\n", errno);
		return 1;
	}
	struct timeval tv = {30, 0};
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);

	struct canfd_frame f;
	memset(&f, 0, sizeof f);
	f.can_id = 0x123;
	f.len = 4;
	memcpy(f.data, "\xde\xad\xbe\xef", 4);
	send_frame(s, &f, 0);

	memset(&f, 0, sizeof f);
	f.can_id = 0x1abcdef0 | CAN_EFF_FLAG;
	f.len = 8;
	for (int i = 0; i < 8; i++)
		f.data[i] = i + 1;
	send_frame(s, &f, 0);

	memset(&f, 0, sizeof f);
	f.can_id = 0x321;
	f.len = 12;
	for (int i = 0; i < 12; i++)
		f.data[i] = 0xa0 + i;
	send_frame(s, &f, 1);

	memset(&f, 0, sizeof f);
	f.can_id = 0x456 | CAN_RTR_FLAG;
	f.len = 2;
	send_frame(s, &f, 0);

	for (int got = 0; got < want;) {
		struct canfd_frame in;
		ssize_t n = read(s, &in, sizeof in);
		if (n < 0) {
			printf("rx_errno=%d\n", errno);
			break;
		}
		got++;
		printf("rx=%x#%s%s#", in.can_id & CAN_EFF_MASK, in.can_id & CAN_EFF_FLAG ? "E" : "",
		       n == CANFD_MTU ? "F" : (in.can_id & CAN_RTR_FLAG ? "R" : ""));
		printf("%d#", in.len);
		if (!(in.can_id & CAN_RTR_FLAG))
			for (int i = 0; i < in.len; i++)
				printf("%02x", in.data[i]);
		printf("\n");
		fflush(stdout);
	}
	r.ifr_flags = flags & ~IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &r) < 0)
		printf("ifdown_errno=%d\n", errno);
	else
		printf("ifdown=0\n");
	return 0;
}
