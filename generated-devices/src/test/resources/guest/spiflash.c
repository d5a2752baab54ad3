/*
 * Guest side of SpiGuestTest: reads the simulated flash behind /dev/spidevB.C through
 * SPI_IOC_MESSAGE, three ways, and prints what came back as key=hex lines:
 *   jedec   one full-duplex transfer: 0x9F and three dummy bytes (the first rx byte is idle)
 *   read    one full-duplex transfer: 0x03, a 24-bit address, then LEN dummy bytes
 *   split   one message of two half-duplex transfers: the command (tx only), then the data (rx only)
 *   toofast a transfer asking for a clock above the controller's limit: the errno the ioctl gives
 * Linux's virtio driver passes each transfer's cs_change straight to the device, which reads it as
 * the spec does (1: deselect after this transfer), so the last transfer of each message sets it.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/spi/spidev.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static void hex(const char *key, const uint8_t *b, unsigned n)
{
	printf("%s=", key);
	for (unsigned i = 0; i < n; i++)
		printf("%02x", b[i]);
	printf("\n");
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: %s /dev/spidevB.C ADDRESS LENGTH\n", argv[0]);
		return 2;
	}
	unsigned addr = strtoul(argv[2], NULL, 0), len = strtoul(argv[3], NULL, 0);
	int fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		printf("open_errno=%d\n", errno);
		return 1;
	}
	uint8_t tx[4 + 4096] = {0}, rx[4 + 4096] = {0};
	if (len > 4096)
		len = 4096;

	struct spi_ioc_transfer t[2];
	memset(t, 0, sizeof t);
	tx[0] = 0x9f;
	t[0].tx_buf = (uintptr_t)tx;
	t[0].rx_buf = (uintptr_t)rx;
	t[0].len = 4;
	t[0].bits_per_word = 8;
	t[0].cs_change = 1;
	if (ioctl(fd, SPI_IOC_MESSAGE(1), t) < 0)
		printf("jedec_errno=%d\n", errno);
	else
		hex("jedec", rx, 4);

	memset(rx, 0, sizeof rx);
	tx[0] = 0x03;
	tx[1] = addr >> 16;
	tx[2] = addr >> 8;
	tx[3] = addr;
	t[0].len = 4 + len;
	if (ioctl(fd, SPI_IOC_MESSAGE(1), t) < 0)
		printf("read_errno=%d\n", errno);
	else
		hex("read", rx + 4, len);

	memset(rx, 0, sizeof rx);
	memset(t, 0, sizeof t);
	t[0].tx_buf = (uintptr_t)tx;
	t[0].len = 4;
	t[0].cs_change = 0;
	t[1].rx_buf = (uintptr_t)rx;
	t[1].len = len;
	t[1].cs_change = 1;
	if (ioctl(fd, SPI_IOC_MESSAGE(2), t) < 0)
		printf("split_errno=%d\n", errno);
	else
		hex("split", rx, len);

	memset(t, 0, sizeof t);
	t[0].tx_buf = (uintptr_t)tx;
	t[0].rx_buf = (uintptr_t)rx;
	t[0].len = 4;
	t[0].cs_change = 1;
	t[0].speed_hz = 60000000;
	if (ioctl(fd, SPI_IOC_MESSAGE(1), t) < 0)
		printf("toofast_errno=%d\n", errno);
	else
		printf("toofast_errno=0\n");
	return 0;
}
