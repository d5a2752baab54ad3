package dev.avps.cli;

import dev.avps.dsl.load.OneLine;
import dev.avps.dsl.load.SpecLoader;
import dev.avps.model.DeviceModel;
import dev.avps.model.RequestModel;
import dev.avps.model.SpecModel;
import dev.avps.model.StructLayout;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** `avps layout`: print the resolved layout of a device's config, a struct or a request. */
@Command(name = "layout", mixinStandardHelpOptions = true,
        description = "Print the resolved byte layout (offset, size, type, field, condition).")
final class LayoutCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "The spec file.")
    Path file;

    @Parameters(index = "1", paramLabel = "DEVICE[.STRUCT]",
            description = "A device (its config layout), or DEVICE.NAME for a struct or request of it,"
                    + " or the name of a struct declared outside any device.")
    String target;

    @Mixin
    SpecInputs specs;

    @Spec
    CommandSpec command;

    @Override
    public Integer call() {
        SpecLoader.Result result = specs.load(List.of(file));
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        if (result.hasErrors()) {
            specs.print(result.diagnostics(), err);
            return specs.status(result, err);
        }
        Map<String, StructLayout> layouts = find(result.model(), target);
        if (layouts.isEmpty()) {
            err.println(file + ": error: no device, struct or request named '" + OneLine.of(target) + "'; known: "
                    + String.join(", ", known(result.model())));
            err.flush();
            return AvpsCli.SPEC_ERRORS;
        }
        String sep = "";
        for (Map.Entry<String, StructLayout> e : layouts.entrySet()) {
            out.print(sep);
            out.print(LayoutTable.render(e.getValue(), e.getKey()));
            sep = "\n";
        }
        out.flush();
        return 0;
    }

    /** The layouts a target names, each under the title to print it with. */
    static Map<String, StructLayout> find(SpecModel model, String target) {
        Map<String, StructLayout> out = new LinkedHashMap<>();
        String[] parts = target.split("\\.", 2);
        for (DeviceModel d : model.devices()) {
            if (!d.name().equals(parts[0])) {
                continue;
            }
            if (parts.length == 1) {
                if (d.config() != null) {
                    out.put("config " + d.config().name(), d.config());
                }
                return out;
            }
            Optional<StructLayout> s = Stream.concat(Stream.ofNullable(d.config()), d.structs().stream())
                    .filter(l -> l.name().equals(parts[1])).findFirst();
            if (s.isPresent()) {
                out.put((s.get().config() ? "config " : "struct ") + s.get().name(), s.get());
                return out;
            }
            for (RequestModel r : d.requests()) {
                if (r.name().equals(parts[1])) {
                    out.put("request " + r.name() + ", device-readable part", r.readable());
                    out.put("request " + r.name() + ", device-writable part", r.writable());
                }
            }
            return out;
        }
        model.structs().stream().filter(s -> s.name().equals(target)).findFirst()
                .ifPresent(s -> out.put("struct " + s.name(), s));
        return out;
    }

    private static List<String> known(SpecModel model) {
        List<String> out = new ArrayList<>();
        for (DeviceModel d : model.devices()) {
            out.add(d.name());
            d.structs().forEach(s -> out.add(d.name() + "." + s.name()));
            d.requests().forEach(r -> out.add(d.name() + "." + r.name()));
        }
        model.structs().forEach(s -> out.add(s.name()));
        return out;
    }
}
