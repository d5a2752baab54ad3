package dev.avps.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.devices.rtc.RtcDevice;
import dev.avps.vhostuser.VhostUserServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tier 3 device, tier 4 kernel: Linux 7.3's own virtio_rtc driver (built in by
 * {@link TierFourKernel}) through QEMU 11's vhost-user-rtc-pci, launched with the arguments
 * {@code avps qemu-args} derives from the model, and our backend serving the host's UTC, TAI and
 * monotonic clocks. The driver exposes each clock as a PTP clock; a static tool in the guest
 * ({@code guest/ptpread.c}) reads every /dev/ptpN through clock_gettime and prints the reading
 * with the clock's sysfs name at once.
 *
 * <p>Checked on both sides: every reading the guest printed is one the backend handed out for
 * the clock of that type (equal to the nanosecond), the backend counted exactly the guest's
 * reads, and each reading is compared with the host's clock at the moment its console line
 * reached the host: the reading must come before that moment and at most {@link #TOLERANCE_NANOS}
 * before it. A reading is taken before its line is printed, so it can never be later; the
 * line then goes through the guest's printf and serial port under TCG and through QEMU's stdio
 * pipe, which took 1.5 to 53 ms in one run at load average 4. Five seconds leave room for a
 * 2-core machine loaded by other builds, which slows TCG many times over, and still tell apart
 * every plausible mistake: TAI without its 37 s, a monotonic clock from the wrong epoch, a unit
 * off by a thousand.
 */
class RtcGuestTest {

    static final long TOLERANCE_NANOS = TimeUnit.SECONDS.toNanos(5);
    static final int ROUNDS = 3;
    static final Pattern READING = Pattern.compile("ptp(\\d+) ns=(\\d+) name=Virtio PTP type (\\d+)/variant (\\d+)");

    @TempDir
    Path dir;

    /** One guest reading, with the host's clocks when its line arrived. */
    record Reading(int ptp, long nanos, int type, int variant, long hostUtcNanos, long hostNanoTime) {
    }

    @Test
    void theGuestReadsTheHostsUtcTaiAndMonotonicClocks() throws Exception {
        Guest guest = Guest.labBuiltIn(TierFourKernel.get());
        byte[] tool = GuestTools.compile(dir, "ptpread");
        RtcDevice rtc = new RtcDevice();
        Map<Integer, Set<Long>> served = new ConcurrentHashMap<>();
        rtc.onRead((id, reading) -> served.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(reading));
        List<Reading> readings = new CopyOnWriteArrayList<>();
        guest.onLine(line -> {
            long nano = System.nanoTime();
            Instant now = Instant.now();
            Matcher m = READING.matcher(line);
            if (m.find()) {
                readings.add(new Reading(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)),
                        Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)),
                        now.getEpochSecond() * 1_000_000_000L + now.getNano(), nano));
            }
        });

        Path sock = dir.resolve("rtc.sock");
        List<String> args = ModelQemuArgs.of("--device", "rtc", "--socket", sock.toString(), "--id", "rtc0");
        assertEquals(List.of("-chardev", "socket,id=rtc0,path=" + sock, "-device", "vhost-user-rtc-pci,chardev=rtc0"),
                args, "QEMU 11's own front end for the rtc");
        String out;
        try (VhostUserServer server = VhostUserServer.start(sock, rtc)) {
            out = guest.executable("bin/ptpread", tool).qemu(args.toArray(String[]::new))
                    .script(String.join("\n",
                            "/bin/ptpread " + ROUNDS,
                            "echo rc=$?",
                            "dmesg | grep -i -e virtio_rtc -e 'virtio.*rtc' -e ptp"))
                    .boot(dir, 256, 300);
        }

        assertEquals("3", BlkGuestTest.value(out, "clocks"), "three PTP clocks in the guest:\n" + out);
        assertEquals("0", BlkGuestTest.value(out, "rc"), out);
        assertEquals(3 * ROUNDS, readings.size(), "readings that reached the host as they were printed:\n" + out);

        List<String> figures = new ArrayList<>();
        for (int id = 0; id < RtcDevice.CLOCKS.size(); id++) {
            int type = RtcDevice.CLOCKS.get(id);
            List<Reading> mine = readings.stream().filter(r -> r.type() == type).toList();
            assertEquals(ROUNDS, mine.size(), "readings of the clock of type " + type + ":\n" + out);
            assertEquals(ROUNDS, rtc.reads(id), "READs the backend answered for clock " + id);
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            long previous = Long.MIN_VALUE;
            for (Reading r : mine) {
                assertEquals(0, r.variant(), "no smearing");
                assertTrue(served.getOrDefault(id, Set.of()).contains(r.nanos()),
                        "the guest's reading " + r + " is one the backend handed out for clock " + id + ": " + served.get(id));
                assertTrue(r.nanos() > previous, "each clock's readings advance: " + mine);
                previous = r.nanos();
                long host = switch (id) {
                    case RtcDevice.UTC -> r.hostUtcNanos();
                    case RtcDevice.TAI -> r.hostUtcNanos() + RtcDevice.TAI_MINUS_UTC_SECONDS * 1_000_000_000L;
                    default -> r.hostNanoTime() - rtc.monotonicEpoch();
                };
                long delta = host - r.nanos();
                assertTrue(delta >= 0 && delta <= TOLERANCE_NANOS, "clock " + id + " read " + r.nanos()
                        + " ns, the host's clock " + delta + " ns later when the line arrived (tolerance 0 to "
                        + TOLERANCE_NANOS + ")");
                min = Math.min(min, delta);
                max = Math.max(max, delta);
            }
            figures.add(String.format("clock %d (type %d): reading to arrival %.1f-%.1f ms", id, type, min / 1e6, max / 1e6));
        }
        assertEquals(0, rtc.refusals(), "the driver sent nothing the backend refused: " + rtc.lastRefusal());
        // What the run saw, for the log (the README quotes a run).
        System.out.println("rtc: " + String.join("; ", figures));
    }
}
