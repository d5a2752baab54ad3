package dev.avps.devices;

import dev.avps.devices.blk.BlkDevice;
import dev.avps.devices.balloon.BalloonDevice;
import dev.avps.devices.balloon.BalloonStdio;
import dev.avps.devices.blk.ZonedOptions;
import dev.avps.devices.can.CanDevice;
import dev.avps.devices.can.CanStdio;
import dev.avps.devices.console.ConsoleDevice;
import dev.avps.devices.console.ConsoleStdio;
import dev.avps.devices.gpio.GpioDevice;
import dev.avps.devices.i2c.I2cDevice;
import dev.avps.devices.input.InputDevice;
import dev.avps.devices.net.EchoPort;
import dev.avps.devices.net.HostEnd;
import dev.avps.devices.net.NetDevice;
import dev.avps.devices.net.Switch;
import dev.avps.devices.rng.RngDevice;
import dev.avps.devices.rtc.RtcDevice;
import dev.avps.devices.sound.SoundDevice;
import dev.avps.devices.spi.SpiDevice;
import dev.avps.devices.spi.SpiNorFlash;
import dev.avps.devices.vsock.VsockDevice;
import dev.avps.runtime.device.VirtioDevice;
import dev.avps.vhostuser.ServerOptions;
import dev.avps.vhostuser.VhostUserServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `avps-serve`: runs one device backend on a vhost-user socket until interrupted; for net, one device
 * per socket given, all joined by one in-process switch.
 */
@Command(name = "avps-serve", mixinStandardHelpOptions = true,
        description = "Serve a virtio device backend to QEMU over vhost-user.")
public final class ServeCommand implements Callable<Integer> {

    enum Kind { rng, blk, vsock, gpio, i2c, input, sound, console, net, balloon, rtc, spi, can }

    /** The command line being run, so usage errors print where its caller asked. */
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--device", required = true, description = "Device to serve: ${COMPLETION-CANDIDATES}.")
    Kind device;

    @Option(names = "--socket", required = true, paramLabel = "PATH",
            description = "Unix socket to listen on. net takes it more than once: one net device per socket, all"
                    + " on one switch in this process.")
    List<Path> sockets;

    @Option(names = "--socket-mode", paramLabel = "MODE", converter = Mode.class,
            description = "Permission bits of the socket file, in octal (e.g. 0660), applied exactly; connecting needs"
                    + " write permission, so this says who may connect. Default: 0600 under the umask (the server's"
                    + " user and root only).")
    Integer socketMode;

    @Option(names = "--takeover",
            description = "Let a new connection end the one that owns the device (logged). Default: refuse it while"
                    + " the connected front end stays connected (also logged).")
    boolean takeover;

    /** Reads a permission mode in octal, as chmod does: 0660, 660 and 0o660 alike. */
    static final class Mode implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            String digits = value.startsWith("0o") ? value.substring(2) : value;
            int mode;
            try {
                mode = Integer.parseInt(digits, 8);
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not an octal mode such as 0600");
            }
            if (mode < 0 || mode > 0777) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a permission mode (0 to 0777)");
            }
            return mode;
        }
    }

    @Option(names = "--image", paramLabel = "FILE", description = "Disk image (blk).")
    Path image;

    @Option(names = "--read-only", description = "Offer the disk read-only (blk).")
    boolean readOnly;

    @Option(names = "--zoned", paramLabel = "KEY=VALUE,...", arity = "0..1", fallbackValue = "",
            converter = Zoned.class,
            description = "Offer the disk as a zoned device (blk; writable only): model=hm|none, zone-sectors=2048,"
                    + " zone-capacity=(zone-sectors), conventional=1, max-open=4, max-active=6, max-append=128,"
                    + " granularity=4096 (bytes); the zone state starts empty and is not kept across runs.")
    ZonedOptions zoned;

    /** Reads the zoned layout, naming what is wrong in a usage error. */
    static final class Zoned implements CommandLine.ITypeConverter<ZonedOptions> {
        @Override
        public ZonedOptions convert(String value) {
            try {
                return ZonedOptions.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Option(names = "--serial", defaultValue = "avps", description = "Device ID string (blk, up to 20 bytes).")
    String serial;

    @Option(names = "--guest-cid", defaultValue = "3", description = "The guest's context ID (vsock).")
    long guestCid;

    @Option(names = "--lines", defaultValue = "8", description = "Number of simulated lines (gpio).")
    int lines;

    @Option(names = "--eeprom-address", defaultValue = "0x50", converter = Hex.class,
            description = "7-bit address of the simulated EEPROM (i2c).")
    int eepromAddress;

    /** Accepts 0x50 as well as 80. */
    static final class Hex implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return Integer.decode(value);
        }
    }

    @Option(names = "--name", defaultValue = "AVPS keyboard", description = "Device name the guest shows (input).")
    String inputName;

    @Option(names = "--output", paramLabel = "FILE",
            description = "Where played audio goes: a .wav file, or raw PCM for any other name (sound).")
    Path output;

    @Option(names = "--no-real-time", negatable = false,
            description = "Take audio as fast as the guest sends it instead of at its sample rate (sound).")
    boolean noRealTime;

    @Option(names = "--uds-prefix", paramLabel = "PATH",
            description = "Guest connections to host port P go to the unix socket PATH_P (vsock).")
    String udsPrefix;

    @Option(names = "--ports", split = ",", paramLabel = "NAME",
            description = "Named ports besides the console port 0 (console; offers MULTIPORT, max_nr_ports = 1 + names)."
                    + " stdin goes to port 0; what the guest writes on any port goes to stdout.")
    java.util.List<String> consolePorts = java.util.List.of();

    @Option(names = "--size", paramLabel = "COLSxROWS",
            description = "The console's size the guest's hvc0 reports, e.g. 80x24 (console; default: none given).")
    String consoleSize;

    @Option(names = "--pages", paramLabel = "N",
            description = "The balloon's target size in 4 KiB pages, which the driver inflates to (balloon); later"
                    + " targets are read from stdin, one number per line.")
    Long balloonPages;

    @Option(names = "--flash", paramLabel = "FILE",
            description = "Contents of the SPI NOR flash behind chip select 0 (spi; a power of two up to 16 MiB)."
                    + " Default: 64 KiB of a fixed pattern.")
    Path flash;

    @Option(names = "--no-answer", negatable = false,
            description = "No peer on the bus answers the guest's frames (can). Default: a peer answers each frame"
                    + " with the same one under identifier + 1.")
    boolean noAnswer;

    @Option(names = "--mac", paramLabel = "MAC",
            description = "Address in each net device's config space, in --socket order (default"
                    + " 02:a5:00:00:00:01, :02, ...). QEMU's virtio-net-pci keeps its own mac= and config space.")
    List<String> macs = new ArrayList<>();

    @Option(names = "--queue-pairs", defaultValue = "2",
            description = "Queue pairs each net device offers (2 or more offers MQ; default 2).")
    int queuePairs;

    @Option(names = "--switch", defaultValue = "avps0",
            description = "Name of the learning switch the net devices of this process join (shown in logs).")
    String switchName;

    @Option(names = "--host-ip", paramLabel = "IPV4",
            description = "Give the switch a host end at this address that answers ARP, ping and UDP echo (net).")
    String hostIp;

    @Option(names = "--host-mac", defaultValue = "02:a5:00:00:00:fe", description = "The host end's MAC (net).")
    String hostMac;

    @Option(names = "--udp-echo-port", defaultValue = "7",
            description = "UDP port on which the host end echoes datagrams back (net).")
    int udpEchoPort;

    @Option(names = "--echo",
            description = "Give the switch a port that sends every unicast frame back to its sender, addresses"
                    + " swapped (net; for benchmarks: the far end of a loop, see benchmarks/net-testpmd).")
    boolean echo;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ServeCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (device == Kind.net) {
            return serveNet();
        }
        if (sockets.size() != 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "only net serves several sockets; "
                    + device + " takes one --socket");
        }
        Path socket = sockets.get(0);
        VirtioDevice dev = switch (device) {
            case rng -> new RngDevice();
            case blk -> {
                if (image == null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--image is required for blk");
                }
                if (zoned != null && readOnly) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--zoned needs a writable disk, not --read-only");
                }
                yield new BlkDevice(image, readOnly, serial, zoned);
            }
            case vsock -> {
                if (udsPrefix == null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--uds-prefix is required for vsock");
                }
                yield new VsockDevice(guestCid, udsPrefix);
            }
            case gpio -> {
                String[] names = new String[lines];
                for (int i = 0; i < lines; i++) {
                    names[i] = "avps-line" + i;
                }
                yield new GpioDevice(names);
            }
            case i2c -> new I2cDevice(eepromAddress);
            case input -> InputDevice.keyboard(inputName);
            case sound -> {
                if (output == null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--output is required for sound");
                }
                yield new SoundDevice(output, !noRealTime);
            }
            case console -> {
                ConsoleDevice console;
                try {
                    console = new ConsoleDevice(consolePorts);
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--ports: " + e.getMessage());
                }
                if (consoleSize != null) {
                    String[] cr = consoleSize.split("x", -1);
                    try {
                        console.resize(Integer.parseInt(cr[0]), Integer.parseInt(cr.length == 2 ? cr[1] : ""));
                    } catch (IllegalArgumentException e) {
                        throw new CommandLine.ParameterException(spec.commandLine(), "--size takes COLSxROWS, 0 to 65535"
                                + " each (e.g. 80x24), not '" + consoleSize + "'");
                    }
                }
                yield console;
            }
            case balloon -> {
                if (balloonPages == null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--pages is required for balloon");
                }
                try {
                    yield new BalloonDevice(balloonPages);
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--pages: " + e.getMessage());
                }
            }
            // The host's UTC, TAI (UTC + 37 s) and monotonic clocks; nothing to configure.
            case rtc -> new RtcDevice();
            case spi -> {
                try {
                    byte[] contents = flash == null ? SpiNorFlash.pattern(64 << 10) : Files.readAllBytes(flash);
                    yield new SpiDevice(SpiNorFlash.madeUp(contents));
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--flash: " + e.getMessage());
                }
            }
            case can -> new CanDevice(!noAnswer);
            case net -> throw new IllegalStateException("served by serveNet");
        };
        CountDownLatch stop = new CountDownLatch(1);
        ServerOptions options = serverOptions();
        try (VhostUserServer server = VhostUserServer.start(socket, dev, options)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            System.err.println("avps-serve: " + device + " listening on " + socket);
            if (dev instanceof InputDevice kbd) {
                System.err.println("avps-serve: type evdev events on stdin as 'TYPE CODE VALUE' (e.g. '1 30 1' presses A;"
                        + " a SYN_REPORT follows each line)");
                kbd.onStatus((t, c, v) -> System.err.println("avps-serve: driver status " + t + " " + c + " " + v));
                Thread feeder = new Thread(() -> feed(kbd), "avps-input-stdin");
                feeder.setDaemon(true);
                feeder.start();
            }
            if (dev instanceof BalloonDevice balloon) {
                System.err.println("avps-serve: type a new target in 4 KiB pages on stdin (e.g. '512')");
                Thread feeder = new Thread(() -> {
                    try {
                        BalloonStdio.feed(balloon, new InputStreamReader(System.in, StandardCharsets.UTF_8),
                                System.err);
                    } catch (IOException e) {
                        System.err.println("avps-serve: stdin: " + e.getMessage());
                    }
                }, "avps-balloon-stdin");
                feeder.setDaemon(true);
                feeder.start();
            }
            if (dev instanceof CanDevice can) {
                System.err.println("avps-serve: type frames for the guest on stdin as candump does (123#DEADBEEF,"
                        + " 12345678#00, 123##0AABB, 123#R); the guest's frames are printed");
                can.onSent(f -> System.out.println(f));
                Thread feeder = new Thread(() -> {
                    try {
                        CanStdio.feed(can, new InputStreamReader(System.in, StandardCharsets.UTF_8), System.err);
                    } catch (IOException e) {
                        System.err.println("avps-serve: stdin: " + e.getMessage());
                    }
                }, "avps-can-stdin");
                feeder.setDaemon(true);
                feeder.start();
            }
            if (dev instanceof SpiDevice spiDev) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.println("avps-serve: spi "
                        + spiDev.transfers() + " transfers (" + spiDev.bytes() + " bytes), " + spiDev.paramErrors()
                        + " parameter errors, " + spiDev.transferErrors() + " transfer errors")));
            }
            if (dev instanceof ConsoleDevice console) {
                ConsoleStdio.bridge(console, System.in, System.out);
            }
            stop.await();
        } finally {
            if (dev instanceof SoundDevice s) {
                s.close();
            }
        }
        return 0;
    }

    private ServerOptions serverOptions() {
        ServerOptions options = ServerOptions.defaults().withTakeover(takeover);
        return socketMode == null ? options : options.withSocketMode(socketMode);
    }

    /** One net device per socket, all joined by one switch (and its host end, if asked for). */
    private int serveNet() throws Exception {
        if (macs.size() > sockets.size()) {
            throw new CommandLine.ParameterException(spec.commandLine(), macs.size() + " --mac for "
                    + sockets.size() + " --socket");
        }
        if (queuePairs < 1 || queuePairs > 64) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--queue-pairs must be 1 to 64");
        }
        Switch sw = new Switch(switchName);
        List<NetDevice> devices = new ArrayList<>();
        try {
            for (int i = 0; i < sockets.size(); i++) {
                long mac = NetDevice.parseMac(i < macs.size() ? macs.get(i) : String.format("02:a5:00:00:00:%02x", i + 1));
                devices.add(new NetDevice(sw, mac, queuePairs));
            }
            if (hostIp != null) {
                new HostEnd(sw, NetDevice.parseMac(hostMac), HostEnd.parseIpv4(hostIp), udpEchoPort);
            }
            if (echo) {
                new EchoPort(sw);
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        List<VhostUserServer> servers = new ArrayList<>();
        CountDownLatch stop = new CountDownLatch(1);
        try {
            for (int i = 0; i < sockets.size(); i++) {
                servers.add(VhostUserServer.start(sockets.get(i), devices.get(i), serverOptions()));
                System.err.println("avps-serve: net " + devices.get(i).name() + " on switch " + sw.name()
                        + " listening on " + sockets.get(i));
            }
            if (hostIp != null) {
                System.err.println("avps-serve: host end " + hostIp + " (" + hostMac + ") on switch " + sw.name()
                        + ", UDP echo on port " + udpEchoPort);
            }
            if (echo) {
                System.err.println("avps-serve: echo port on switch " + sw.name() + ": unicast frames to unknown"
                        + " addresses come back to their sender");
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                // What each port moved, dropped and refused, printed here because the JVM may halt
                // before the main thread gets past stop.await(): the counters say where frames went.
                for (NetDevice d : devices) {
                    System.err.println("avps-serve: " + d.name() + " counters: " + d.counters());
                }
                stop.countDown();
            }));
            stop.await();
        } finally {
            for (VhostUserServer s : servers) {
                s.close();
            }
        }
        return 0;
    }

    /** Reads "TYPE CODE VALUE" lines and sends each event followed by a report. */
    private static void feed(InputDevice kbd) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.trim().split("\\s+");
                if (f.length != 3) {
                    if (!line.isBlank()) {
                        System.err.println("avps-serve: expected 'TYPE CODE VALUE', got: " + line);
                    }
                    continue;
                }
                try {
                    if (!kbd.send(Integer.decode(f[0]), Integer.decode(f[1]), Integer.decode(f[2]))
                            || !kbd.send(0, 0, 0)) {
                        System.err.println("avps-serve: the guest is not taking events; dropped: " + line);
                    }
                } catch (NumberFormatException e) {
                    System.err.println("avps-serve: not a number in: " + line);
                }
            }
        } catch (IOException e) {
            System.err.println("avps-serve: stdin: " + e.getMessage());
        }
    }
}
