package dev.avps.vhostuser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;

/**
 * A front end that breaks the protocol gets one log line and a closed connection; the server
 * keeps serving, and no fd or mapping outlives the connection (counted over 1,000 of them).
 */
class HostileFrontEndTest {

    interface Attack {
        void run(FrontEnd fe) throws IOException;
    }

    @TempDir
    static Path dir;

    static EchoDevice device;
    static VhostUserServer server;
    static SharedMemory ram;
    static AFUNIXSocketPair<AFUNIXSocketChannel> spare;
    static TestEventFd event;
    static FileDescriptor[] pipe;
    static FileDescriptor directory;

    @BeforeAll
    static void start() throws IOException {
        device = new EchoDevice();
        server = VhostUserServer.start(dir.resolve("hostile.sock"), device);
        ram = new SharedMemory(dir, 256 * 1024);
        spare = AFUNIXSocketPair.open();
        event = new TestEventFd();
        pipe = TestLibc.pipe();
        directory = TestLibc.openDirectory(dir.toString());
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
        ram.close();
        spare.getSocket1().close();
        spare.getSocket2().close();
        event.close();
        Fds.closeQuietly(pipe[0]);
        Fds.closeQuietly(pipe[1]);
        Fds.closeQuietly(directory);
    }

    /** A socket: an fd of the wrong kind wherever an fd is taken. */
    static FileDescriptor spareFd() throws IOException {
        return spare.getSocket2().getFileDescriptor();
    }

    static byte[] payload(int size) {
        return new byte[size];
    }

    static byte[] header(int code, int flags, int size) {
        return ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(code).putInt(flags).putInt(size).array();
    }

    /** Each attack, by the words the server's reason must contain. */
    static final Map<String, Attack> ATTACKS = new LinkedHashMap<>();

    static {
        ATTACKS.put("announces a 1000000-byte payload", fe -> fe.sendRaw(header(5, 1, 1_000_000)));
        ATTACKS.put("carries protocol version 2", fe -> fe.sendRaw(header(1, 2, 0)));
        ATTACKS.put("after 5 of 12 header bytes", fe -> {
            fe.sendRaw(new byte[5], spareFd());
            fe.halfClose();
        });
        ATTACKS.put("after 3 of 8 payload bytes", fe -> {
            fe.sendRaw(ByteBuffer.allocate(15).order(ByteOrder.LITTLE_ENDIAN).putInt(8).putInt(1).putInt(8).array());
            fe.halfClose();
        });
        ATTACKS.put("unknown request 200", fe -> fe.send(200, 1, new byte[0]));
        ATTACKS.put("lists 9 regions", fe -> {
            long[][] nine = new long[9][];
            for (int i = 0; i < 9; i++) {
                nine[i] = new long[] {i * 0x10000L, 0x1000, 0x7000_0000L + i * 0x10000L, 0};
            }
            fe.send(VhostUserRequest.SET_MEM_TABLE, FrontEnd.memTable(nine), ram.fd());
        });
        ATTACKS.put("region 1 overlaps region 0 in guest-physical space", fe -> fe.send(VhostUserRequest.SET_MEM_TABLE,
                FrontEnd.memTable(new long[] {0, 0x2000, 0x7000_0000L, 0}, new long[] {0x1000, 0x2000, 0x7100_0000L, 0}),
                ram.fd(), spareFd()));
        ATTACKS.put("needs 1 fd(s), got 0", fe -> fe.send(VhostUserRequest.SET_MEM_TABLE, ram.table()));
        ATTACKS.put("SET_MEM_TABLE with 1 regions needs 1 fd(s), got 2", fe -> fe.send(VhostUserRequest.SET_MEM_TABLE,
                ram.table(), ram.fd(), ram.fd()));
        ATTACKS.put("bytes of its file, which has", fe -> fe.send(VhostUserRequest.SET_MEM_TABLE,
                FrontEnd.memTable(new long[] {0, 1 << 30, 0x7000_0000L, 0}), ram.fd()));
        ATTACKS.put("wraps around the 64-bit address space", fe -> fe.send(VhostUserRequest.SET_MEM_TABLE,
                FrontEnd.memTable(new long[] {0xFFFF_FFFF_FFFF_F000L, 0x2000, 0x7000_0000L, 0}), ram.fd()));
        ATTACKS.put("is outside the shared memory", fe -> {
            fe.send(VhostUserRequest.SET_FEATURES, FrontEnd.u64(EchoDevice.VERSION_1));
            fe.send(VhostUserRequest.SET_MEM_TABLE, ram.table(), ram.fd());
            fe.send(VhostUserRequest.SET_VRING_NUM, FrontEnd.state(0, 64));
            fe.send(VhostUserRequest.SET_VRING_ADDR, FrontEnd.addr(0, ram.uva(SharedMemory.GPA) + ram.size,
                    ram.uva(SharedMemory.GPA), ram.uva(SharedMemory.GPA + 0x2000)));
            fe.send(VhostUserRequest.SET_VRING_KICK, FrontEnd.u64(0), event.fd);
        });
        ATTACKS.put("is not a valid queue size", fe -> fe.send(VhostUserRequest.SET_VRING_NUM, FrontEnd.state(0, 3)));
        ATTACKS.put("names queue 7, but the device has 2", fe -> fe.send(VhostUserRequest.SET_VRING_NUM,
                FrontEnd.state(7, 64)));
        ATTACKS.put("GET_FEATURES came with 1 fd; it takes none", fe -> fe.send(VhostUserRequest.GET_FEATURES,
                new byte[0], event.fd));
        ATTACKS.put("accepts bits 0x1 the device did not offer", fe -> fe.send(VhostUserRequest.SET_FEATURES,
                FrontEnd.u64(EchoDevice.VERSION_1 | 1)));
        ATTACKS.put("SET_VRING_KICK came with 2 fds; it takes at most 1", fe -> fe.send(VhostUserRequest.SET_VRING_KICK,
                FrontEnd.u64(0), event.fd, ram.fd()));
        ATTACKS.put("SET_VRING_NUM carries a 4-byte payload; it takes exactly 8", fe -> fe.send(
                VhostUserRequest.SET_VRING_NUM, payload(4)));
        ATTACKS.put("SET_VRING_NUM carries a 12-byte payload; it takes exactly 8", fe -> fe.send(
                VhostUserRequest.SET_VRING_NUM, payload(12)));
        ATTACKS.put("GET_FEATURES carries a 8-byte payload; it takes exactly 0", fe -> fe.send(
                VhostUserRequest.GET_FEATURES, payload(8)));
        ATTACKS.put("SET_STATUS carries a 16-byte payload; it takes exactly 8", fe -> fe.send(
                VhostUserRequest.SET_STATUS, payload(16)));
        ATTACKS.put("SET_VRING_ADDR carries a 48-byte payload; it takes exactly 40", fe -> fe.send(
                VhostUserRequest.SET_VRING_ADDR, payload(48)));
        ATTACKS.put("GET_CONFIG of 4 bytes carries a 20-byte payload; it takes exactly 16", fe -> fe.send(
                VhostUserRequest.GET_CONFIG, ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putInt(0)
                        .putInt(4).putInt(0).array()));
        ATTACKS.put("SET_VRING_KICK for queue 0: the fd is a socket, not an eventfd", fe -> fe.send(
                VhostUserRequest.SET_VRING_KICK, FrontEnd.u64(0), spareFd()));
        ATTACKS.put("SET_VRING_CALL for queue 1: the fd is a pipe, not an eventfd", fe -> fe.send(
                VhostUserRequest.SET_VRING_CALL, FrontEnd.u64(1), pipe[1]));
        ATTACKS.put("SET_VRING_ERR for queue 0: the fd is a directory, not an eventfd", fe -> fe.send(
                VhostUserRequest.SET_VRING_ERR, FrontEnd.u64(0), directory));
        ATTACKS.put("SET_VRING_KICK for queue 1: the fd is a regular file, not an eventfd", fe -> fe.send(
                VhostUserRequest.SET_VRING_KICK, FrontEnd.u64(1), ram.fd()));
        ATTACKS.put("exceeds the 256-byte config space", fe -> fe.send(VhostUserRequest.GET_CONFIG,
                ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(1024).putInt(0).array()));
        ATTACKS.put("SET_BACKEND_REQ_FD before BACKEND_REQ was negotiated", fe -> fe.send(
                VhostUserRequest.SET_BACKEND_REQ_FD, new byte[0], spareFd()));
        ATTACKS.put("SET_BACKEND_REQ_FD: the fd is a regular file, not a socket", fe -> {
            fe.send(VhostUserRequest.SET_PROTOCOL_FEATURES,
                    FrontEnd.u64(ProtocolFeature.bit(ProtocolFeature.BACKEND_REQ)));
            fe.send(VhostUserRequest.SET_BACKEND_REQ_FD, new byte[0], ram.fd());
        });
        ATTACKS.put("SET_BACKEND_REQ_FD carries a 8-byte payload; it takes exactly 0", fe -> fe.send(
                VhostUserRequest.SET_BACKEND_REQ_FD, payload(8), spareFd()));
    }

    static Stream<String> attacks() {
        return ATTACKS.keySet().stream();
    }

    /** Runs one attack and waits until the server has torn the connection down. */
    static String attack(String name) throws Exception {
        // Let earlier connections finish tearing down, so the next one to end is this attack's.
        VhostUserServerTest.waitFor(() -> server.ended() == server.accepted());
        int endedBefore = server.ended();
        try (FrontEnd fe = new FrontEnd(server.path())) {
            ATTACKS.get(name).run(fe);
            assertTrue(fe.closedByPeer(), "the server closes the connection after: " + name);
        }
        VhostUserServerTest.waitFor(() -> server.ended() > endedBefore);
        return server.lastEndReason();
    }

    @ParameterizedTest
    @MethodSource("attacks")
    void eachViolationClosesTheConnectionWithAPreciseReason(String expected) throws Exception {
        String reason = attack(expected);
        assertNotNull(reason);
        assertTrue(reason.contains(expected), "reason was: " + reason);
        // and the device is still served
        try (FrontEnd fe = new FrontEnd(server.path())) {
            assertEquals(2, fe.getU64(VhostUserRequest.GET_QUEUE_NUM));
        }
    }

    @Test
    void aThousandHostileConnectionsLeakNoFdAndNoMapping() throws Exception {
        List<String> names = List.copyOf(ATTACKS.keySet());
        for (String n : names) {
            attack(n); // warm-up: lazily created JDK and junixsocket resources are not leaks
        }
        long fdsBefore = openFds();
        long mapsBefore = mappingsOf(ram.file);
        for (int i = 0; i < 1000; i++) {
            attack(names.get(i % names.size()));
        }
        VhostUserServerTest.waitFor(() -> server.ended() == server.accepted());
        assertEquals(fdsBefore, settle(fdsBefore), "open fds before and after 1,000 hostile connections");
        assertEquals(mapsBefore, mappingsOf(ram.file), "mappings of guest RAM before and after");
    }

    /** The open fd count, given a moment to return to {@code expected} (closes are asynchronous). */
    static long settle(long expected) throws Exception {
        long now = openFds();
        for (int i = 0; i < 100 && now != expected; i++) {
            Thread.sleep(20);
            now = openFds();
        }
        return now;
    }

    static long openFds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    static long mappingsOf(Path file) throws IOException {
        String name = file.toAbsolutePath().toString();
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.endsWith(name)).count();
    }
}
