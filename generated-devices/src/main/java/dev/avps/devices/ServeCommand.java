package dev.avps.devices;

import dev.avps.devices.blk.BlkDevice;
import dev.avps.devices.gpio.GpioDevice;
import dev.avps.devices.i2c.I2cDevice;
import dev.avps.devices.rng.RngDevice;
import dev.avps.devices.vsock.VsockDevice;
import dev.avps.runtime.device.VirtioDevice;
import dev.avps.vhostuser.VhostUserServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `avps-serve`: runs one device backend on a vhost-user socket until interrupted. */
@Command(name = "avps-serve", mixinStandardHelpOptions = true,
        description = "Serve a virtio device backend to QEMU over vhost-user.")
public final class ServeCommand implements Callable<Integer> {

    enum Kind { rng, blk, vsock, gpio, i2c }

    @Option(names = "--device", required = true, description = "Device to serve: ${COMPLETION-CANDIDATES}.")
    Kind device;

    @Option(names = "--socket", required = true, paramLabel = "PATH", description = "Unix socket to listen on.")
    Path socket;

    @Option(names = "--image", paramLabel = "FILE", description = "Disk image (blk).")
    Path image;

    @Option(names = "--read-only", description = "Offer the disk read-only (blk).")
    boolean readOnly;

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

    @Option(names = "--uds-prefix", paramLabel = "PATH",
            description = "Guest connections to host port P go to the unix socket PATH_P (vsock).")
    String udsPrefix;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ServeCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        VirtioDevice dev = switch (device) {
            case rng -> new RngDevice();
            case blk -> {
                if (image == null) {
                    throw new CommandLine.ParameterException(new CommandLine(this), "--image is required for blk");
                }
                yield new BlkDevice(image, readOnly, serial);
            }
            case vsock -> {
                if (udsPrefix == null) {
                    throw new CommandLine.ParameterException(new CommandLine(this), "--uds-prefix is required for vsock");
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
        };
        CountDownLatch stop = new CountDownLatch(1);
        try (VhostUserServer server = VhostUserServer.start(socket, dev)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            System.err.println("avps-serve: " + device + " listening on " + socket);
            stop.await();
        }
        return 0;
    }
}
