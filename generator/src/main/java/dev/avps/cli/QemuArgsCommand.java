package dev.avps.cli;

import dev.avps.dsl.load.OneLine;
import dev.avps.dsl.load.SpecLoader;
import dev.avps.model.DeviceModel;
import dev.avps.model.FeatureModel;
import dev.avps.model.FieldLayout;
import dev.avps.model.QueueRule;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.function.IntPredicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code avps qemu-args}: the QEMU arguments that put a vhost-user backend of a catalog device in
 * front of a guest. The numbers QEMU's generic front end needs (device ID, queue count, config
 * size) come from the model for the features the backend offers, so nobody counts queues by hand.
 */
@Command(name = "qemu-args", mixinStandardHelpOptions = true,
        description = "Print the QEMU arguments (-chardev, -device or -netdev) for a vhost-user backend of a device.")
final class QemuArgsCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Spec files or directories (the catalog).")
    List<Path> files;

    @Option(names = "--device", required = true, description = "The device the backend serves.")
    String device;

    @Option(names = "--features", split = ",", paramLabel = "NAME",
            description = "Device features the backend offers (default: none); they decide the queue count and"
                    + " config size.")
    List<String> features = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FIELD=VALUE",
            description = "A config value the backend reports, where the queue rule needs it (blk num_queues,"
                    + " console max_nr_ports, net max_virtqueue_pairs).")
    Map<String, Long> config = new LinkedHashMap<>();

    @Option(names = "--socket", paramLabel = "PATH", description = "The backend's socket (default: DEVICE.sock).")
    String socket;

    @Option(names = "--id", description = "The chardev's id (default: DEVICE0).")
    String id;

    @Option(names = "--qemu", paramLabel = "VERSION", defaultValue = "11.1",
            description = "The QEMU release to launch (default: ${DEFAULT-VALUE}); decides which front ends exist.")
    String qemu;

    @Option(names = "--generic", description = "Use " + QemuFrontEnds.GENERIC + " even where a dedicated front end"
            + " exists.")
    boolean generic;

    @Option(names = "--vq-size", defaultValue = "256", description = "Queue size for the generic front end (not a fact"
            + " of the model; default: ${DEFAULT-VALUE}).")
    int vqSize;

    @Option(names = "--prop", paramLabel = "KEY=VALUE",
            description = "An extra property for the front end, passed as it is (fs needs tag=NAME).")
    List<String> props = new ArrayList<>();

    @Option(names = "--memory", paramLabel = "SIZE",
            description = "Also print a shared memfd memory backend of SIZE (e.g. 512M): vhost-user needs guest RAM"
                    + " the backend can map.")
    String memory;

    @Option(names = "--lines", description = "One argument per line instead of one line for a shell.")
    boolean lines;

    @Mixin
    SpecInputs specs;

    @Spec
    CommandSpec command;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        SpecLoader.Result result = specs.load(files);
        if (result.hasErrors()) {
            specs.print(result.diagnostics(), err);
            return specs.status(result, err);
        }
        Optional<DeviceModel> found = result.model().devices().stream().filter(d -> d.name().equals(device)).findFirst();
        if (found.isEmpty()) {
            return usage(err, "no device '" + OneLine.of(device) + "' in " + files + "; known: "
                    + String.join(", ", result.model().devices().stream().map(DeviceModel::name).toList()));
        }
        try {
            List<String> args = args(found.get());
            out.println(String.join(lines ? "\n" : " ", args));
            out.flush();
            return 0;
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        }
    }

    /** The queue count by the model's rule, asked only where the front end is told it. */
    private int queues(DeviceModel d, IntPredicate offered) {
        try {
            return QueueRule.queueCount(d, offered, f -> config.containsKey(f) ? OptionalLong.of(config.get(f))
                    : OptionalLong.empty());
        } catch (QueueRule.MissingValue e) {
            throw new IllegalArgumentException(d.name() + ": " + e.getMessage() + "; give --config " + e.field()
                    + "=N, the value the backend reports");
        }
    }

    private static int usage(PrintWriter err, String message) {
        err.println("avps qemu-args: " + OneLine.of(message));
        err.flush();
        return AvpsCli.USAGE;
    }

    List<String> args(DeviceModel d) {
        int release = QemuFrontEnds.release(qemu);
        if (release < 0) {
            throw new IllegalArgumentException("--qemu " + qemu + " is no version (like 7.2 or 11.1)");
        }
        long[] bits = new long[4];
        for (String name : features) {
            FeatureModel f = d.feature(name).orElseThrow(() -> new IllegalArgumentException(d.name() + " has no feature "
                    + name + "; its features: " + String.join(", ", d.features().stream().map(FeatureModel::name).toList())));
            bits[f.bit() / 64] |= 1L << (f.bit() % 64);
        }
        IntPredicate offered = bit -> bit / 64 < bits.length && (bits[bit / 64] & (1L << (bit % 64))) != 0;
        for (String field : config.keySet()) {
            if (d.config() == null || d.config().field(field).map(FieldLayout::scalar).isEmpty()) {
                throw new IllegalArgumentException(d.name() + "'s config has no number field " + field);
            }
        }
        String chardev = id != null ? id : d.name() + "0";
        String path = socket != null ? socket : d.name() + ".sock";
        List<String> out = new ArrayList<>();
        if (memory != null) {
            out.addAll(List.of("-object", "memory-backend-memfd,id=avps-mem,size=" + memory + ",share=on",
                    "-machine", "memory-backend=avps-mem"));
        }
        out.addAll(List.of("-chardev", "socket,id=" + chardev + ",path=" + path));
        Optional<QemuFrontEnds.FrontEnd> fe = QemuFrontEnds.of(d.name()).filter(f -> !generic && f.since() <= release);
        StringBuilder dev = new StringBuilder();
        if (fe.isEmpty()) {
            if (release < QemuFrontEnds.GENERIC_SINCE) {
                throw new IllegalArgumentException("QEMU " + qemu + " has no vhost-user front end for " + d.name()
                        + "; QEMU " + QemuFrontEnds.name(QemuFrontEnds.GENERIC_SINCE) + " serves any device through "
                        + QemuFrontEnds.GENERIC);
            }
            dev.append(QemuFrontEnds.GENERIC).append(",chardev=").append(chardev).append(",virtio-id=").append(d.id())
                    .append(",num_vqs=").append(queues(d, offered)).append(",vq_size=").append(vqSize)
                    .append(",config_size=").append(QueueRule.configSize(d.config(), offered));
        } else if (d.name().equals("net")) {
            // Queue pairs, plus the control queue when there is one.
            int pairs = queues(d, offered) / 2;
            String netdev = chardev + "-net";
            out.addAll(List.of("-netdev", "vhost-user,id=" + netdev + ",chardev=" + chardev
                    + (pairs > 1 ? ",queues=" + pairs : "")));
            dev.append(fe.get().name()).append(",netdev=").append(netdev);
            if (pairs > 1) {
                dev.append(",mq=on,vectors=").append(2 * pairs + 2);
            }
        } else {
            dev.append(fe.get().name()).append(",chardev=").append(chardev);
            if (d.name().equals("blk")) {
                dev.append(",num-queues=").append(queues(d, offered));
            }
            if (d.name().equals("fs") && props.stream().noneMatch(p -> p.startsWith("tag="))) {
                throw new IllegalArgumentException(fe.get().name() + " needs the file system's tag: add --prop tag=NAME");
            }
        }
        props.forEach(p -> dev.append(',').append(p));
        out.addAll(List.of("-device", dev.toString()));
        return out;
    }
}
