/*
 * Prints the name of every line of a GPIO chip as the kernel's GPIO character device reports it,
 * one "line N NAME" per line. Linux 7.3's sysfs no longer names exported lines after the chip's
 * line names, and busybox has no gpioinfo, so the gpio guest test reads the names this way.
 */
#include <fcntl.h>
#include <linux/gpio.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/dev/gpiochip0";
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	struct gpiochip_info chip;
	memset(&chip, 0, sizeof(chip));
	if (ioctl(fd, GPIO_GET_CHIPINFO_IOCTL, &chip) < 0) {
		perror("GPIO_GET_CHIPINFO_IOCTL");
		return 1;
	}
	for (unsigned int i = 0; i < chip.lines; i++) {
		struct gpio_v2_line_info info;
		memset(&info, 0, sizeof(info));
		info.offset = i;
		if (ioctl(fd, GPIO_V2_GET_LINEINFO_IOCTL, &info) < 0) {
			perror("GPIO_V2_GET_LINEINFO_IOCTL");
			return 1;
		}
		printf("line %u %s\n", i, info.name);
	}
	close(fd);
	return 0;
}
