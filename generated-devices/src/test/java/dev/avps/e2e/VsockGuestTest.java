package dev.avps.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avps.devices.vsock.VsockDevice;
import dev.avps.vhostuser.VhostUserServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tier 1: a program in the guest connects over AF_VSOCK to host port 1234; our vsock backend
 * bridges it to a unix-socket echo service on the host; a greeting and 1 MiB come back intact.
 */
class VsockGuestTest {

    static final int PORT = 1234;

    @TempDir
    Path dir;

    @Test
    void guestStreamIsEchoedByAHostService() throws Exception {
        Guest guest = Guest.cloudKernel().module("virtio_pci").module("vmw_vsock_virtio_transport");
        Path client = compileClient();
        Path prefix = dir.resolve("vsock");
        AtomicLong echoed = new AtomicLong();
        try (ServerSocketChannel service = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            service.bind(UnixDomainSocketAddress.of(Path.of(prefix + "_" + PORT)));
            Thread echo = new Thread(() -> serveEcho(service, echoed), "echo-service");
            echo.setDaemon(true);
            echo.start();
            Path sock = dir.resolve("vsock.sock");
            try (VhostUserServer server = VhostUserServer.start(sock, new VsockDevice(3, prefix.toString()))) {
                String out = guest.executable("bin/vsock-echo", Files.readAllBytes(client))
                        .qemu("-chardev", "socket,id=vs0,path=" + sock, "-device", "vhost-user-vsock-pci,chardev=vs0")
                        .script("vsock-echo 2 " + PORT + " hello-from-the-guest; echo rc=$?")
                        .boot(dir, 256, 120);
                assertTrue(out.contains("echo=hello-from-the-guest\n"), out);
                long expected = 0;
                for (int i = 0; i < 256 * 4096; i++) {
                    expected += ((long) i * 31 % 251) & 0xff;
                }
                assertTrue(out.contains("stream=" + expected + "\n"), "1 MiB came back intact: " + out);
                assertTrue(out.contains("rc=0"), out);
                assertEquals("hello-from-the-guest".length() + 256 * 4096, echoed.get(),
                        "every byte went through the host service");
            }
        }
    }

    private Path compileClient() throws IOException, InterruptedException {
        Path src = dir.resolve("vsock_echo.c");
        try (InputStream in = getClass().getResourceAsStream("/guest/vsock_echo.c")) {
            Files.write(src, in.readAllBytes());
        }
        Path exe = dir.resolve("vsock-echo");
        Process gcc = new ProcessBuilder("gcc", "-static", "-O2", "-o", exe.toString(), src.toString())
                .redirectErrorStream(true).start();
        String log = new String(gcc.getInputStream().readAllBytes());
        assertTrue(gcc.waitFor(120, TimeUnit.SECONDS) && gcc.exitValue() == 0, "gcc failed: " + log);
        return exe;
    }

    private static void serveEcho(ServerSocketChannel service, AtomicLong echoed) {
        try {
            while (true) {
                try (SocketChannel c = service.accept()) {
                    ByteBuffer b = ByteBuffer.allocate(8192);
                    while (c.read(b) >= 0) {
                        b.flip();
                        echoed.addAndGet(b.remaining());
                        while (b.hasRemaining()) {
                            c.write(b);
                        }
                        b.clear();
                    }
                }
            }
        } catch (IOException e) {
            // the service socket closed at the end of the test
        }
    }
}
