/*
 * ifflags IFACE [+|-]promisc [+|-]allmulti ...: sets or clears interface flags through
 * SIOCGIFFLAGS/SIOCSIFFLAGS, for guest tests whose busybox `ip` cannot set all-multicast.
 * Prints the flags after the change; exits 1 with the reason on any failure.
 */
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: ifflags IFACE [+|-]promisc|allmulti ...\n");
        return 1;
    }
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct ifreq r;
    memset(&r, 0, sizeof r);
    snprintf(r.ifr_name, sizeof r.ifr_name, "%s", argv[1]);
    if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &r) != 0) {
        perror("SIOCGIFFLAGS");
        return 1;
    }
    for (int i = 2; i < argc; i++) {
        short bit = strcmp(argv[i] + 1, "promisc") == 0 ? IFF_PROMISC
                : strcmp(argv[i] + 1, "allmulti") == 0 ? IFF_ALLMULTI : 0;
        if (bit == 0 || (argv[i][0] != '+' && argv[i][0] != '-')) {
            fprintf(stderr, "ifflags: unknown change %s\n", argv[i]);
            return 1;
        }
        r.ifr_flags = argv[i][0] == '+' ? (short) (r.ifr_flags | bit) : (short) (r.ifr_flags & ~bit);
    }
    if (ioctl(fd, SIOCSIFFLAGS, &r) != 0) {
        perror("SIOCSIFFLAGS");
        return 1;
    }
    printf("0x%x\n", (unsigned short) r.ifr_flags);
    close(fd);
    return 0;
}
