/* ${marker} */
/*
 * Guest probe for platform ${p.name()} ${p.version()}: run inside a Linux guest as root, it finds the
 * virtio devices in sysfs, compares them with the platform and prints one verdict per statement:
 *
 *   AVPS-VERDICT <TAB> statement id <TAB> pass|fail|skip <TAB> detail
 *   AVPS-SUMMARY <TAB> platform <TAB> guest <TAB> pass|fail      (fail: a MUST statement failed)
 *
 * Build: gcc -static -O2 -o avps-probe ${p.name()}-probe.c   (no library beyond libc)
 *
 * What it reads: /sys/bus/virtio/devices/<dev>/{device,features} and, for virtio-pci, the device's
 * common and device configuration through the PCI BAR the capability list names (mmap of the
 * sysfs resource file). Offered feature bits come from device_feature; to read them it writes
 * device_feature_select, and to read queue sizes queue_select, restoring both afterwards. On other
 * transports only negotiated bits are visible, so some statements skip with that reason.
 * Exit status: 0 when the platform holds, 1 when a MUST statement failed, 2 when the probe could
 * not run at all.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define HAS(f, bit) ((((f) >> (bit)) & 1ULL) != 0)
#define MAX_DEVICES 64
#define DETAIL 512

enum level { MUST, SHOULD, MAY };
enum kind { TRANSPORT, PRESENT, OFFER, CONFIG, QUEUES, QUEUE_SIZE, RULE };
enum op { EQ, NE, LT, LE, GT, GE };
enum outcome { PASS, FAIL, SKIP };
static const char *const OUTCOMES[] = {"pass", "fail", "skip"};
static const char *const OPS[] = {"==", "!=", "<", "<=", ">", ">="};

/*
 * A structure in one of a virtio-pci function's BARs, reached through a mapping of the BAR when the
 * kernel allows one, else through the VIRTIO_PCI_CAP_PCI_CFG window in PCI configuration space
 * (a kernel with strict I/O memory refuses to map a BAR its driver holds; the window is the
 * spec's way in for exactly that case). len 0: not found.
 */
struct region {
    int bar;
    uint32_t off, len;
    volatile uint8_t *map;
    int config_fd;          /* the function's sysfs config file, open for the window */
    unsigned window;        /* offset of the PCI_CFG capability in config space, 0 if none */
};

struct vdev {
    char name[256];         /* virtio0, virtio1, ... */
    unsigned id;            /* the virtio device ID */
    char transport[8];      /* pci, mmio, ccw or ? */
    uint64_t negotiated;    /* the features file: what the driver accepted */
    int has_offered;        /* virtio-pci only: */
    uint64_t offered;       /*   device_feature, all 64 bits */
    struct region common;   /* virtio-pci: the common configuration */
    struct region device;   /*   and the device configuration */
    int num_queues;         /* -1 when not visible */
    int queue_size[64];     /* 0: not available */
};

static struct vdev devs[MAX_DEVICES];
static int ndevs;

typedef enum outcome (*check_fn)(char *detail);

struct statement {
    const char *id;
    enum level level;
    enum kind kind;
    unsigned device;
    int negated;
    int bit;
    unsigned offset, width;
    enum op op;
    unsigned long long value;
    int (*present)(uint64_t f);
    const char *present_text;
    check_fn checks[8];
    const char *reason;
};

/* ------------------------------------------------------------------ sysfs */

/* AVPS_PROBE_ROOT names a directory standing in for / (a test's fake sysfs); unset in a guest. */
static const char *root = "";

/* ROOT followed by the formatted path, in buf. */
static char *under(char *buf, size_t len, const char *fmt, ...) {
    int n = snprintf(buf, len, "%s", root);
    if (n < 0 || (size_t) n >= len) {
        buf[0] = 0;
        return buf;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + n, len - (size_t) n, fmt, ap);
    va_end(ap);
    return buf;
}

static int read_text(const char *path, char *buf, size_t len) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        return -1;
    }
    ssize_t n = read(fd, buf, len - 1);
    close(fd);
    if (n < 0) {
        return -1;
    }
    buf[n] = 0;
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' ')) {
        buf[--n] = 0;
    }
    return (int) n;
}

static void add(char *detail, const char *fmt, ...) {
    size_t used = strlen(detail);
    if (used >= DETAIL - 1) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail + used, DETAIL - used, fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------------------ virtio-pci */

static uint32_t le32(const uint8_t *b) {
    return b[0] | (uint32_t) b[1] << 8 | (uint32_t) b[2] << 16 | (uint32_t) b[3] << 24;
}

/* Maps [offset, offset+len) of a BAR through the PCI function's sysfs resource file. */
static volatile uint8_t *map_bar(const char *pci, unsigned bar, uint32_t offset, uint32_t len) {
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/resource%u", pci, bar);
    int fd = open(path, O_RDWR | O_SYNC);
    if (fd < 0) {
        return NULL;
    }
    long page = sysconf(_SC_PAGESIZE);
    uint32_t start = offset & ~(uint32_t) (page - 1);
    void *m = mmap(NULL, len + (offset - start), PROT_READ | PROT_WRITE, MAP_SHARED, fd, start);
    close(fd);
    return m == MAP_FAILED ? NULL : (volatile uint8_t *) m + (offset - start);
}

/* Points the PCI_CFG window at (bar, off) for width bytes: cap.bar, cap.offset, cap.length. */
static int aim(const struct region *r, uint32_t at, unsigned width) {
    uint8_t bar = (uint8_t) r->bar;
    uint32_t off = r->off + at, len = width;
    return pwrite(r->config_fd, &bar, 1, r->window + 4) == 1
        && pwrite(r->config_fd, &off, 4, r->window + 8) == 4
        && pwrite(r->config_fd, &len, 4, r->window + 12) == 4 ? 0 : -1;
}

/* width 1, 2 or 4 bytes at offset at of the structure (x86: little-endian like virtio). */
static int region_read(const struct region *r, uint32_t at, unsigned width, uint32_t *out) {
    if (r->len == 0 || at + width > r->len) {
        return -1;
    }
    if (r->map) {
        *out = width == 1 ? r->map[at] : width == 2 ? *(volatile uint16_t *) (r->map + at)
                                                    : *(volatile uint32_t *) (r->map + at);
        return 0;
    }
    uint32_t v = 0;
    if (!r->window || aim(r, at, width) != 0 || pread(r->config_fd, &v, width, r->window + 16) != (ssize_t) width) {
        return -1;
    }
    *out = v;
    return 0;
}

static int region_write(const struct region *r, uint32_t at, unsigned width, uint32_t v) {
    if (r->len == 0 || at + width > r->len) {
        return -1;
    }
    if (r->map) {
        if (width == 2) {
            *(volatile uint16_t *) (r->map + at) = (uint16_t) v;
        } else {
            *(volatile uint32_t *) (r->map + at) = v;
        }
        return 0;
    }
    if (!r->window || aim(r, at, width) != 0 || pwrite(r->config_fd, &v, width, r->window + 16) != (ssize_t) width) {
        return -1;
    }
    return 0;
}

/* The common and device configuration structures named by the vendor capabilities (cfg_type 1 and 4). */
static void probe_pci(struct vdev *d, const char *pci) {
    char path[PATH_MAX + 32];
    uint8_t cfg[256];
    snprintf(path, sizeof path, "%s/config", pci);
    int fd = open(path, O_RDWR);
    if (fd < 0) {
        return;
    }
    ssize_t n = pread(fd, cfg, sizeof cfg, 0);
    if (n < 64 || !(cfg[6] & 0x10)) {
        close(fd);
        return;
    }
    unsigned window = 0;
    int guard = 0;
    for (unsigned at = cfg[0x34] & 0xfc; at && at + 20 <= (unsigned) n && guard++ < 48; at = cfg[at + 1] & 0xfc) {
        if (cfg[at] != 0x09) {
            continue;
        }
        unsigned type = cfg[at + 3];
        struct region *r = type == 1 ? &d->common : type == 4 ? &d->device : NULL;
        if (type == 5 && !window) {
            window = at;
        } else if (r && r->len == 0) {
            r->bar = cfg[at + 4];
            r->off = le32(cfg + at + 8);
            r->len = le32(cfg + at + 12);
            r->map = map_bar(pci, (unsigned) r->bar, r->off, r->len);
        }
    }
    d->common.config_fd = d->device.config_fd = fd;
    d->common.window = d->device.window = window;
    uint32_t saved, lo, hi, numq, qsaved, qsize;
    if (d->common.len < 0x38 || region_read(&d->common, 0x00, 4, &saved) != 0) {
        return;
    }
    /* device_feature_select 0 and 1 show the two halves of device_feature; then as it was. */
    if (region_write(&d->common, 0x00, 4, 0) == 0 && region_read(&d->common, 0x04, 4, &lo) == 0
            && region_write(&d->common, 0x00, 4, 1) == 0 && region_read(&d->common, 0x04, 4, &hi) == 0) {
        d->offered = lo | (uint64_t) hi << 32;
        d->has_offered = 1;
    }
    region_write(&d->common, 0x00, 4, saved);
    if (region_read(&d->common, 0x12, 2, &numq) != 0 || region_read(&d->common, 0x16, 2, &qsaved) != 0) {
        return;
    }
    d->num_queues = (int) numq;
    for (int q = 0; q < d->num_queues && q < 64; q++) {
        if (region_write(&d->common, 0x16, 2, (uint32_t) q) == 0 && region_read(&d->common, 0x18, 2, &qsize) == 0) {
            d->queue_size[q] = (int) qsize;
        }
    }
    region_write(&d->common, 0x16, 2, qsaved);
}

/* A config field, little-endian; 64-bit fields as two 32-bit reads, as virtio-pci asks of drivers. */
static int read_config(const struct vdev *d, unsigned offset, unsigned width, unsigned long long *out) {
    for (int attempt = 0; attempt < 4; attempt++) {
        uint32_t gen, again, lo, hi = 0;
        if (region_read(&d->common, 0x15, 1, &gen) != 0
                || region_read(&d->device, offset, width > 4 ? 4 : width, &lo) != 0
                || (width > 4 && region_read(&d->device, offset + 4, 4, &hi) != 0)
                || region_read(&d->common, 0x15, 1, &again) != 0) {
            return -1;
        }
        if (gen == again) {
            *out = lo | (unsigned long long) hi << 32;
            return 0;
        }
    }
    return -1;
}

/* ------------------------------------------------------------------ discovery */

static void discover(void) {
    char top[PATH_MAX];
    DIR *dir = opendir(under(top, sizeof top, "/sys/bus/virtio/devices"));
    if (!dir) {
        return;
    }
    struct dirent *e;
    while ((e = readdir(dir)) && ndevs < MAX_DEVICES) {
        if (e->d_name[0] == '.') {
            continue;
        }
        struct vdev *d = &devs[ndevs];
        memset(d, 0, sizeof *d);
        d->num_queues = -1;
        d->common.config_fd = d->device.config_fd = -1;
        snprintf(d->name, sizeof d->name, "%s", e->d_name);
        char path[PATH_MAX], real[PATH_MAX], text[256];
        under(path, sizeof path, "/sys/bus/virtio/devices/%s/device", e->d_name);
        if (read_text(path, text, sizeof text) <= 0) {
            continue;
        }
        d->id = (unsigned) strtoul(text, NULL, 0);
        under(path, sizeof path, "/sys/bus/virtio/devices/%s/features", e->d_name);
        if (read_text(path, text, sizeof text) > 0) {
            for (int i = 0; text[i] && i < 64; i++) {
                if (text[i] == '1') {
                    d->negotiated |= 1ULL << i;
                }
            }
        }
        under(path, sizeof path, "/sys/bus/virtio/devices/%s", e->d_name);
        if (!realpath(path, real)) {
            continue;
        }
        /* The parent of virtioN is the transport's device: a PCI function, an mmio platform device, a ccw device. */
        char *slash = strrchr(real, '/');
        if (slash) {
            *slash = 0;
        }
        char probe[PATH_MAX + 16];
        snprintf(probe, sizeof probe, "%s/config", real);
        if (strstr(real, "virtio-mmio") || strstr(real, "virtio_mmio")) {
            strcpy(d->transport, "mmio");
        } else if (strstr(real, "/css") || strstr(real, "ccw")) {
            strcpy(d->transport, "ccw");
        } else if (strstr(real, "/pci") && access(probe, R_OK) == 0) {
            strcpy(d->transport, "pci");
            probe_pci(d, real);
        } else {
            strcpy(d->transport, "?");
        }
        ndevs++;
    }
    closedir(dir);
}

/* ------------------------------------------------------------------ guest checks */

static volatile sig_atomic_t timed_out;

static void on_alarm(int sig) {
    (void) sig;
    timed_out = 1;
}

/* Reads up to len bytes within a few seconds: a device that never answers must not hang the probe. */
static ssize_t read_bounded(const char *path, void *buf, size_t len, int flags) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    timed_out = 0;
    alarm(10);
    int fd = open(path, O_RDONLY | flags);
    ssize_t n = -1;
    if (fd >= 0) {
        n = read(fd, buf, len);
        close(fd);
    }
    alarm(0);
    return timed_out ? -2 : n;
}

static enum outcome guest_hwrng(char *detail) {
    char cur[128];
    char where[PATH_MAX];
    if (read_text(under(where, sizeof where, "/sys/class/misc/hw_random/rng_current"), cur, sizeof cur) < 0) {
        add(detail, "no hw_random device (is virtio_rng loaded?)");
        return FAIL;
    }
    if (!strstr(cur, "virtio")) {
        add(detail, "the kernel's entropy source is %s, not a virtio device", cur);
        return FAIL;
    }
    unsigned char buf[16];
    ssize_t n = read_bounded(under(where, sizeof where, "/dev/hwrng"), buf, sizeof buf, 0);
    if (n <= 0) {
        add(detail, "%s: reading /dev/hwrng %s", cur, n == -2 ? "timed out after 10 s" : strerror(errno));
        return FAIL;
    }
    add(detail, "%s gave %zd bytes", cur, n);
    return PASS;
}

/* The first virtio disk's /dev name, from /sys/block/<disk>/device -> ../virtioN. */
static enum outcome guest_block_read(char *detail) {
    char top[PATH_MAX];
    DIR *dir = opendir(under(top, sizeof top, "/sys/block"));
    if (!dir) {
        add(detail, "no /sys/block");
        return FAIL;
    }
    struct dirent *e;
    enum outcome result = FAIL;
    add(detail, "no virtio disk");
    while ((e = readdir(dir))) {
        char path[PATH_MAX], real[PATH_MAX];
        under(path, sizeof path, "/sys/block/%s/device", e->d_name);
        if (e->d_name[0] == '.' || !realpath(path, real) || !strstr(strrchr(real, '/'), "virtio")) {
            continue;
        }
        char dev[PATH_MAX];
        unsigned char sector[512];
        under(dev, sizeof dev, "/dev/%s", e->d_name);
        ssize_t n = read_bounded(dev, sector, sizeof sector, 0);
        detail[0] = 0;
        if (n == (ssize_t) sizeof sector) {
            add(detail, "%s: read its first sector", dev);
            result = PASS;
            break;
        }
        add(detail, "%s: %s", dev, n == -2 ? "read timed out after 10 s" : n < 0 ? strerror(errno) : "short read");
    }
    closedir(dir);
    return result;
}

static enum outcome guest_net_interface(char *detail) {
    char top[PATH_MAX];
    DIR *dir = opendir(under(top, sizeof top, "/sys/class/net"));
    if (!dir) {
        add(detail, "no /sys/class/net");
        return FAIL;
    }
    struct dirent *e;
    int found = 0;
    while ((e = readdir(dir))) {
        char path[PATH_MAX], real[PATH_MAX], state[32] = "?";
        under(path, sizeof path, "/sys/class/net/%s/device/driver", e->d_name);
        if (e->d_name[0] == '.' || !realpath(path, real) || strcmp(strrchr(real, '/'), "/virtio_net") != 0) {
            continue;
        }
        under(path, sizeof path, "/sys/class/net/%s/operstate", e->d_name);
        read_text(path, state, sizeof state);
        add(detail, "%s%s (%s)", found++ ? ", " : "", e->d_name, state);
    }
    closedir(dir);
    if (!found) {
        add(detail, "no interface bound to virtio_net");
    }
    return found ? PASS : FAIL;
}

static enum outcome guest_console_port(char *detail) {
    char top[PATH_MAX];
    DIR *dir = opendir(under(top, sizeof top, "/sys/class/virtio-ports"));
    int ports = 0;
    if (dir) {
        struct dirent *e;
        while ((e = readdir(dir))) {
            ports += e->d_name[0] != '.';
        }
        closedir(dir);
    }
    if (!ports) {
        add(detail, "no virtio console port in /sys/class/virtio-ports");
        return FAIL;
    }
    /* Port 0 of a console is a tty (hvc0); a generic port is /dev/vportNpM. Either one must open. */
    int fd = open(under(top, sizeof top, "/dev/hvc0"), O_RDWR | O_NONBLOCK | O_NOCTTY);
    if (fd >= 0) {
        close(fd);
        add(detail, "%d port(s); /dev/hvc0 opens", ports);
        return PASS;
    }
    add(detail, "%d port(s); /dev/hvc0: %s", ports, strerror(errno));
    return FAIL;
}

static enum outcome guest_modern_devices(char *detail) {
    int legacy = 0;
    for (int i = 0; i < ndevs; i++) {
        if (!HAS(devs[i].negotiated, 32)) {
            add(detail, "%s%s (ID %u) runs without VERSION_1", legacy++ ? ", " : "", devs[i].name, devs[i].id);
        }
    }
    if (!legacy) {
        add(detail, "all %d device(s) negotiated VERSION_1", ndevs);
    }
    return legacy ? FAIL : PASS;
}

/* ------------------------------------------------------------------ the platform */

<#list p.rows() as r>
<#if r.condition()??>
static int present_${r?index}(uint64_t f) {
    return ${r.condition()};
}
</#if>
</#list>

static const struct statement statements[] = {
<#list p.rows() as r>
    {${c.str(r.id())}, ${r.level()}, ${r.kind()}, ${r.deviceId()}, ${r.negated()?then(1, 0)}, ${r.bit()}, ${r.offset()}, ${r.width()}, ${r.op()}, ${r.value()},
     <#if r.condition()??>present_${r?index}, ${c.str(r.conditionText())}<#else>NULL, NULL</#if>, {<#list r.checks() as c>${c}, </#list>NULL}, <#if r.reason()??>${c.str(r.reason())}<#else>NULL</#if>},
</#list>
};

static const char *const transports[] = {<#list p.transports() as t>${c.str(t)}, </#list>NULL};

static int compare(unsigned long long v, enum op op, unsigned long long bound) {
    switch (op) {
    case EQ: return v == bound;
    case NE: return v != bound;
    case LT: return v < bound;
    case LE: return v <= bound;
    case GT: return v > bound;
    default: return v >= bound;
    }
}

static int allowed_transport(const char *t) {
    for (int i = 0; transports[i]; i++) {
        if (strcmp(transports[i], t) == 0) {
            return 1;
        }
    }
    return 0;
}

/* One device's answer to a device statement; the caller combines the instances. */
static enum outcome judge_device(const struct statement *s, const struct vdev *d, char *detail) {
    uint64_t f = d->has_offered ? d->offered : d->negotiated;
    switch (s->kind) {
    case OFFER:
        if (d->has_offered) {
            int on = HAS(d->offered, s->bit);
            add(detail, "%s offers bit %d: %s", d->name, s->bit, on ? "yes" : "no");
            return on != s->negated ? PASS : FAIL;
        }
        if (HAS(d->negotiated, s->bit)) {
            add(detail, "%s negotiated bit %d", d->name, s->bit);
            return s->negated ? FAIL : PASS;
        }
        add(detail, "%s (%s): bit %d not negotiated; offered bits are not visible on this transport", d->name,
            d->transport, s->bit);
        return SKIP;
    case CONFIG: {
        if (s->present && !s->present(f)) {
            add(detail, "%s: the field exists only when %s, which it does not %s", d->name, s->present_text,
                d->has_offered ? "offer" : "negotiate");
            return FAIL;
        }
        unsigned long long v;
        if (read_config(d, s->offset, s->width, &v) != 0) {
            add(detail, "%s (%s): device configuration not readable here", d->name, d->transport);
            return SKIP;
        }
        add(detail, "%s: %llu %s %llu", d->name, v, OPS[s->op], s->value);
        return compare(v, s->op, s->value) ? PASS : FAIL;
    }
    case QUEUES:
        if (d->num_queues < 0) {
            add(detail, "%s (%s): queue count not visible here", d->name, d->transport);
            return SKIP;
        }
        add(detail, "%s: %d queue(s)", d->name, d->num_queues);
        return compare((unsigned long long) d->num_queues, s->op, s->value) ? PASS : FAIL;
    case QUEUE_SIZE: {
        if (d->num_queues < 0) {
            add(detail, "%s (%s): queue sizes not visible here", d->name, d->transport);
            return SKIP;
        }
        enum outcome o = PASS;
        add(detail, "%s sizes", d->name);
        for (int q = 0; q < d->num_queues && q < 64; q++) {
            if (d->queue_size[q] == 0) {
                continue;
            }
            add(detail, " %d", d->queue_size[q]);
            if (!compare((unsigned long long) d->queue_size[q], s->op, s->value)) {
                o = FAIL;
            }
        }
        return o;
    }
    default:
        return SKIP;
    }
}

static enum outcome judge(const struct statement *s, char *detail) {
    switch (s->kind) {
    case TRANSPORT: {
        enum outcome o = PASS;
        for (int i = 0; i < ndevs; i++) {
            if (!allowed_transport(devs[i].transport)) {
                add(detail, "%s%s is on %s", o == PASS ? "" : ", ", devs[i].name, devs[i].transport);
                o = FAIL;
            }
        }
        if (o == PASS) {
            add(detail, "%d device(s), all on allowed transports", ndevs);
        }
        return o;
    }
    case PRESENT: {
        int found = 0;
        for (int i = 0; i < ndevs; i++) {
            if (devs[i].id == s->device) {
                add(detail, "%s%s (%s)", found++ ? ", " : "", devs[i].name, devs[i].transport);
            }
        }
        if (!found) {
            add(detail, "no virtio device with ID %u", s->device);
        }
        return found ? PASS : FAIL;
    }
    case RULE: {
        if (!s->checks[0]) {
            add(detail, "%s", s->reason ? s->reason : "no check states how to observe it");
            return SKIP;
        }
        enum outcome o = PASS;
        for (int i = 0; s->checks[i]; i++) {
            if (i) {
                add(detail, "; ");
            }
            enum outcome one = s->checks[i](detail);
            if (one == FAIL || (one == SKIP && o == PASS)) {
                o = one;
            }
        }
        return o;
    }
    default: {
        /* Every instance of the device must hold; with none the statement is about nothing. */
        enum outcome o = SKIP;
        int seen = 0;
        for (int i = 0; i < ndevs; i++) {
            if (devs[i].id != s->device) {
                continue;
            }
            if (seen++) {
                add(detail, "; ");
            }
            enum outcome one = judge_device(s, &devs[i], detail);
            if (one == FAIL || (one == PASS && o == SKIP)) {
                o = one;
            }
        }
        if (!seen) {
            add(detail, "device absent");
        }
        return o;
    }
    }
}

static void clean(char *s) {
    for (; *s; s++) {
        if (*s == '\t' || *s == '\n' || *s == '\r') {
            *s = ' ';
        }
    }
}

int main(void) {
    const char *r = getenv("AVPS_PROBE_ROOT");
    root = r ? r : "";
    char top[PATH_MAX];
    if (access(under(top, sizeof top, "/sys/bus/virtio"), F_OK) != 0) {
        printf("AVPS-PROBE\t%s\t%s\tno /sys/bus/virtio: is sysfs mounted and virtio built in?\n", ${c.str(p.name())},
               ${c.str(p.version())});
        return 2;
    }
    discover();
    printf("AVPS-PROBE\t%s\t%s\t%d virtio device(s)\n", ${c.str(p.name())}, ${c.str(p.version())}, ndevs);
    int failed = 0;
    for (size_t i = 0; i < sizeof statements / sizeof statements[0]; i++) {
        char detail[DETAIL] = "";
        enum outcome o = judge(&statements[i], detail);
        clean(detail);
        printf("AVPS-VERDICT\t%s\t%s\t%s\n", statements[i].id, OUTCOMES[o], detail);
        failed |= o == FAIL && statements[i].level == MUST;
    }
    printf("AVPS-SUMMARY\t%s\tguest\t%s\n", ${c.str(p.name())}, failed ? "fail" : "pass");
    fflush(stdout);
    return failed ? 1 : 0;
}
