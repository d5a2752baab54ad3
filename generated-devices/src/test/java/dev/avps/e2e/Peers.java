package dev.avps.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Third-party vhost-user peers for conformance and interop tests, each started on a socket in a
 * work directory and stopped by closing the returned {@link Peer}:
 * <ul>
 * <li>qemu-storage-daemon 7.2 from Debian 12 (package qemu-system-common, which qemu-system-x86
 * brings) and 11 from the lab: a vhost-user-blk backend to compare against;</li>
 * <li>virtiofsd from the lab: a vhost-user-fs backend;</li>
 * <li>DPDK's testpmd with its vhost PMD from Debian 12 (dpdk-dev): a vhost-user-net backend,
 * without hugepages.</li>
 * </ul>
 * A missing tool skips the test (fails it under CI=true), as for the guests.
 *
 * <p>Public, with the members the blk benchmark drivers call, because those drivers live in the
 * benchmarks module and reach this class through generated-devices' test jar.
 */
public final class Peers {

    private Peers() {
    }

    /** Which qemu-storage-daemon: Debian 12's own or the lab's. */
    public enum Qsd {
        V7_2, V11
    }

    /**
     * qemu-storage-daemon exporting {@code image} (raw, in {@code dir}) as vhost-user-blk on
     * {@code dir/name.sock}, one queue, writable or not. The file is opened with O_DIRECT off, as
     * our backend does, so both see the same page cache.
     */
    static Peer qemuStorageDaemon(Qsd version, Path dir, Path image, boolean writable, String name)
            throws IOException, InterruptedException {
        return qemuStorageDaemon(version, dir, image, writable, false, name);
    }

    /**
     * The same, optionally with the export in its own iothread (QEMU's documented way to scale an
     * export; an iothread also polls its queues for a while before it sleeps).
     */
    public static Peer qemuStorageDaemon(Qsd version, Path dir, Path image, boolean writable, boolean iothread,
            String name) throws IOException, InterruptedException {
        Path sock = dir.resolve(name + ".sock");
        List<String> a = new ArrayList<>(List.of("qemu-storage-daemon",
                "--blockdev", "driver=file,node-name=file0,filename=" + image.toAbsolutePath(),
                "--blockdev", "driver=raw,node-name=disk0,file=file0"));
        if (iothread) {
            a.addAll(List.of("--object", "iothread,id=io0"));
        }
        a.addAll(List.of("--export", "type=vhost-user-blk,id=exp0,node-name=disk0,addr.type=unix,addr.path="
                + sock.toAbsolutePath() + ",writable=" + (writable ? "on" : "off") + ",num-queues=1"
                + (iothread ? ",iothread=io0" : "")));
        String[] args = a.toArray(String[]::new);
        ProcessBuilder pb;
        if (version == Qsd.V7_2) {
            Guest.require(Guest.onPath("qemu-storage-daemon"), "qemu-storage-daemon (qemu-system-common) is not"
                    + " installed");
            pb = new ProcessBuilder(args);
        } else {
            pb = Lab.command(List.of(dir), args);
        }
        return Peer.start("qemu-storage-daemon " + version + (iothread ? " (iothread)" : ""), pb, sock,
                dir.resolve(name + ".log"), 30);
    }

    /** virtiofsd (lab) sharing {@code shared} under the tag the front end names, on {@code dir/name.sock}. */
    public static Peer virtiofsd(Path dir, Path shared, String name) throws IOException, InterruptedException {
        Path sock = dir.resolve(name + ".sock");
        // --sandbox=none: the lab's chroot already confines it, and its namespace sandbox would need
        // a user namespace set-up the test gains nothing from.
        ProcessBuilder pb = Lab.command(List.of(dir, shared), "/usr/libexec/virtiofsd",
                "--socket-path=" + sock.toAbsolutePath(), "--shared-dir=" + shared.toAbsolutePath(),
                "--sandbox=none", "--cache=never");
        return Peer.start("virtiofsd", pb, sock, dir.resolve(name + ".log"), 30);
    }

    /**
     * DPDK testpmd serving vhost-user-net on {@code dir/name.sock} (its vhost PMD in server mode),
     * forwarding what it receives straight back (io mode), without hugepages or PCI devices.
     */
    static Peer testpmd(Path dir, String name) throws IOException, InterruptedException {
        return testpmd(dir, name, "io");
    }

    /**
     * The same in another forwarding mode: {@code macswap} returns every frame with its Ethernet
     * addresses swapped, the peer avps conform's net checks need behind a device.
     */
    public static Peer testpmd(Path dir, String name, String forwardMode) throws IOException, InterruptedException {
        Guest.require(Guest.onPath("dpdk-testpmd"), "dpdk-testpmd (dpdk-dev) is not installed");
        Path sock = dir.resolve(name + ".sock");
        List<String> cmd = new ArrayList<>(List.of("dpdk-testpmd", "--no-huge", "-m", "1024", "--no-pci",
                "-l", "0-1", "--file-prefix=" + name + "-" + ProcessHandle.current().pid(),
                "--vdev", "net_vhost0,iface=" + sock.toAbsolutePath() + ",queues=1", "--",
                "--total-num-mbufs=8192", "--forward-mode=" + forwardMode, "--auto-start"));
        return Peer.start("dpdk-testpmd", new ProcessBuilder(cmd), sock, dir.resolve(name + ".log"), 60);
    }
}
